using Nonlinear.Activations;
using Nonlinear.Layers.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// One name in the <see cref="ActivationRegistry"/>: a fixed catalog entry (an <see cref="ActivationLayer"/>, no
/// trained parameters) or a learnable unit (its own module with trained parameters). Both bind their arguments the
/// same way and build a <see cref="Module"/> for a layer's width.
/// </summary>
public sealed class RegisteredActivation
{
    private RegisteredActivation(string name, IReadOnlyList<string> aliases, IReadOnlyList<SpecParameter> parameters, ActivationEntry? fixedEntry, LearnableUnit? unit)
    {
        Name = name;
        Aliases = aliases;
        Parameters = parameters;
        Fixed = fixedEntry;
        Learnable = unit;
    }

    /// <summary>A fixed catalog entry.</summary>
    public static RegisteredActivation Of(ActivationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Info.Name, entry.Info.Aliases, entry.Info.Parameters.Select(SpecParameter.From).ToArray(), entry, null);
    }

    /// <summary>A learnable unit.</summary>
    public static RegisteredActivation Of(LearnableUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return new(unit.Name, unit.Aliases, unit.Parameters, null, unit);
    }

    /// <summary>The canonical name.</summary>
    public string Name { get; }
    /// <summary>Other accepted names.</summary>
    public IReadOnlyList<string> Aliases { get; }
    /// <summary>Arguments in positional order.</summary>
    public IReadOnlyList<SpecParameter> Parameters { get; }
    /// <summary>The catalog entry, for a fixed activation.</summary>
    public ActivationEntry? Fixed { get; }
    /// <summary>The unit, for a learnable activation.</summary>
    public LearnableUnit? Learnable { get; }
    /// <summary>True for a learnable unit (its parameters are trained with the weights).</summary>
    public bool IsLearnable => Learnable is not null;

    /// <summary>The bound catalog activation for canonical <paramref name="values"/>; null for a learnable unit.</summary>
    public Activation? Bind(IReadOnlyList<string> values) =>
        Fixed?.Create(values.Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());

    /// <summary>The module for canonical <paramref name="values"/> in a layer of <paramref name="width"/> features.</summary>
    /// <param name="values">One canonical value per parameter (from <see cref="SpecArguments.Bind"/>).</param>
    /// <param name="width">Features (channels) of the layer.</param>
    /// <param name="rng">Source for units with random initialisation (none of today's draw from it).</param>
    /// <param name="warn">Receives warnings such as a rational fit's divergence outside its range.</param>
    public Module CreateModule(IReadOnlyList<string> values, int width, Rng rng, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (width < 1) throw new ArgumentException($"width must be ≥ 1; got {width}.", nameof(width));
        if (Learnable is not null) return Learnable.Factory(new UnitArguments(Parameters, values, width, warn));
        return new ActivationLayer(Bind(values)!);
    }
}
