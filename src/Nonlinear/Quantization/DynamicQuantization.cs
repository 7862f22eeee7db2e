using Nonlinear.Layers;

namespace Nonlinear.Quantization;

/// <summary>
/// Dynamic int8 quantization of every Linear in a model, in place and reversibly (quantize_dynamic's role for any
/// module tree, the transformer included): each Linear gets a forward hook that replaces its output by its
/// <see cref="DynamicQuantizedLinear"/>'s, so the model's own forward — attention, norms, residuals, interpretability
/// hooks — runs unchanged around int8 projections. Disposing the handle removes the hooks.
/// <para>
/// Cost: the hook replaces the output after the float Linear has run (a module's forward cannot be skipped from
/// outside), so this measures what int8 does to a model's quality (bits per character, accuracy), not int8 speed;
/// <see cref="DynamicQuantizedLinear"/> on its own is the speed path.
/// </para>
/// </summary>
public static class DynamicQuantization
{
    /// <summary>Quantizes the weights of every Linear under <paramref name="model"/> and routes its calls through int8.</summary>
    /// <exception cref="InvalidInputException">The model has no Linear layer.</exception>
    public static DynamicQuantizationHandle Apply(Module model, DynamicActivationScale granularity = DynamicActivationScale.PerRow)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = new Dictionary<string, DynamicQuantizedLinear>(StringComparer.Ordinal);
        foreach (var (name, m) in model.NamedModules())
            if (m is Linear l) layers[name] = new DynamicQuantizedLinear(l, granularity);
        if (layers.Count == 0) throw new InvalidInputException("the model has no Linear layer to quantize.", nameof(model));
        return Attach(model, layers);
    }

    /// <summary>Routes the Linear at each name of <paramref name="layers"/> through the given int8 layer (loaded from a file).</summary>
    /// <exception cref="ArgumentException">A name that is not a Linear of <paramref name="model"/>, or widths that differ.</exception>
    public static DynamicQuantizationHandle Attach(Module model, IReadOnlyDictionary<string, DynamicQuantizedLinear> layers)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layers);
        var handles = new List<HookHandle>();
        try
        {
            foreach (var (name, q) in layers)
            {
                if (model.GetSubmodule(name) is not Linear l)
                    throw new ArgumentException($"'{name}' is not a Linear of the model.", nameof(layers));
                if (l.InFeatures != q.InFeatures || l.OutFeatures != q.OutFeatures)
                    throw new ArgumentException($"'{name}' is Linear({l.InFeatures} → {l.OutFeatures}); the int8 layer is {q.InFeatures} → {q.OutFeatures}.", nameof(layers));
                handles.Add(l.RegisterForwardHook((_, input, _) => q.Forward(input)));
            }
        }
        catch
        {
            foreach (var h in handles) h.Dispose();
            throw;
        }
        return new DynamicQuantizationHandle(handles, layers);
    }
}

/// <summary>The hooks of <see cref="DynamicQuantization"/>; <see cref="Dispose"/> restores the float model.</summary>
public sealed class DynamicQuantizationHandle : IDisposable
{
    private readonly List<HookHandle> _hooks;

    internal DynamicQuantizationHandle(List<HookHandle> hooks, IReadOnlyDictionary<string, DynamicQuantizedLinear> layers) =>
        (_hooks, Layers) = (hooks, layers);

    /// <summary>The int8 layers by the dotted name of the Linear they stand for.</summary>
    public IReadOnlyDictionary<string, DynamicQuantizedLinear> Layers { get; }

    /// <summary>Removes the hooks (idempotent).</summary>
    public void Dispose()
    {
        foreach (var h in _hooks) h.Dispose();
        _hooks.Clear();
    }
}
