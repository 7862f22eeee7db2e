using System.Globalization;
using Nonlinear.Activations;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// The declaration of a learnable activation unit for the activation registry: its name, parameters (with defaults
/// and bounds, bound by <see cref="SpecArguments"/> like a catalog entry's), documentation and a factory that builds the
/// module for a layer's width. Each unit declares one of these next to its module (e.g. <see cref="PRelu.Unit"/>) and
/// <see cref="LearnableUnits"/> registers it with one line.
/// </summary>
/// <param name="Name">The spec name ("prelu").</param>
/// <param name="Summary">One line: the formula and what is learned.</param>
/// <param name="Parameters">Arguments in positional order.</param>
/// <param name="Factory">Builds the module from bound arguments.</param>
public sealed record LearnableUnit(string Name, string Summary, IReadOnlyList<SpecParameter> Parameters, Func<UnitArguments, Module> Factory)
{
    /// <summary>Other accepted names.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>The paper that introduced the unit.</summary>
    public string? Paper { get; init; }
    /// <summary>Its year.</summary>
    public int? Year { get; init; }
    /// <summary>The PyTorch equivalent, where there is one.</summary>
    public string? PyTorch { get; init; }

    /// <summary>The per_channel argument every unit takes: one parameter set per feature (channel) or one for the layer.</summary>
    public static SpecParameter PerChannel(bool @default) =>
        SpecParameter.Boolean("per_channel", @default, "one parameter set per feature/channel (true) or one for the layer (false)");
}

/// <summary>The bound, validated arguments of a learnable unit and the layer it is built for.</summary>
public sealed class UnitArguments
{
    private readonly IReadOnlyList<SpecParameter> _parameters;
    private readonly IReadOnlyList<string> _values;

    /// <summary>Binds canonical <paramref name="values"/> (one per parameter) for a layer of <paramref name="width"/> features.</summary>
    public UnitArguments(IReadOnlyList<SpecParameter> parameters, IReadOnlyList<string> values, int width, Action<string>? warn)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != parameters.Count)
            throw new ArgumentException($"expected {parameters.Count} value(s); got {values.Count}.", nameof(values));
        if (width < 1) throw new ArgumentException($"width must be ≥ 1; got {width}.", nameof(width));
        _parameters = parameters;
        _values = values;
        Width = width;
        Warn = warn;
    }

    /// <summary>Features of the layer (the channel count for per-channel parameters).</summary>
    public int Width { get; }
    /// <summary>Receives warnings (e.g. a rational fit's divergence outside its range).</summary>
    public Action<string>? Warn { get; }

    /// <summary>The canonical text of parameter <paramref name="name"/>.</summary>
    public string Text(string name)
    {
        for (int i = 0; i < _parameters.Count; i++)
            if (_parameters[i].Name == name) return _values[i];
        throw new ArgumentException($"no parameter '{name}' is declared.", nameof(name));
    }

    /// <summary>A number parameter (validated to fit float32 when bound).</summary>
    public float Float(string name) => (float)double.Parse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture);
    /// <summary>An integer parameter.</summary>
    public int Int(string name) => int.Parse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture);
    /// <summary>A boolean parameter.</summary>
    public bool Bool(string name) => Text(name) == "true";
    /// <summary>The number of parameter sets: <see cref="Width"/> when per_channel is true, else 1.</summary>
    public int Channels => Bool("per_channel") ? Width : 1;
}
