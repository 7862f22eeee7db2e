using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>Applies its children in order, y = fₙ(…f₁(x)) (torch.nn.Sequential); children are named "0", "1", ….</summary>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;
    private readonly SequentialInference? _inference;

    /// <summary>Chains <paramref name="layers"/> in the given order.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = (Module[])layers.Clone();
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is null) throw new ArgumentException($"layers[{i}] is null.", nameof(layers));
            RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _layers[i]);
        }
        _inference = SequentialInference.For(_layers);
    }

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Length;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        // An MLP under NoGrad: the same bits without per-call hidden arrays (see SequentialInference).
        if (_inference?.TryRun(_layers, x) is { } y) return y;
        foreach (var layer in _layers) x = layer.Call(x);
        return x;
    }
}
