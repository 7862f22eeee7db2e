namespace Nonlinear.Kan;

/// <summary>
/// Everything the library needs to know about one KAN basis, declared once in the basis's own file: its name and aliases,
/// its arguments with defaults and bounds, and the factory that builds the <see cref="KanBasis"/> of a layer from a
/// bound <see cref="KanBasisSpec"/>. Registered by one line in <see cref="KanBases"/> (or by
/// <see cref="KanBases.Register"/> from outside the library); <see cref="KanLayer"/> creates every space through it.
/// </summary>
public sealed class KanBasisDescriptor
{
    private readonly Func<int, KanBasisSpec, KanBasis> _factory;
    private readonly Func<KanBasisSpec, string?>? _check;

    /// <summary>Declares a basis.</summary>
    /// <param name="name">Lower-case name used in specs and parameter names ("rbf"); letters, digits, '_' and '-'.</param>
    /// <param name="aliases">Other accepted names ("gaussian").</param>
    /// <param name="parameters">The arguments, in positional order.</param>
    /// <param name="summary">The basis in a few words, for help.</param>
    /// <param name="factory">Builds the basis for a layer of the given input count from a fully bound spec.</param>
    /// <param name="check">Cross-argument validation (e.g. min &lt; max): null when valid, else what is wrong.</param>
    /// <param name="gridParameter">The argument a model string's "@G" sets (the B-spline grid), or null.</param>
    /// <param name="scaleSpOverRootIn">Whether scale_sp starts at ScaleSp/√in when this basis is a layer's first (pykan's convention for B-splines).</param>
    public KanBasisDescriptor(string name, IReadOnlyList<string> aliases, IReadOnlyList<KanBasisParameter> parameters, string summary,
        Func<int, KanBasisSpec, KanBasis> factory, Func<KanBasisSpec, string?>? check = null, string? gridParameter = null,
        bool scaleSpOverRootIn = false)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(factory);
        if (!IsName(name)) throw new ArgumentException($"name must be a non-empty lower-case word of letters, digits, '_' or '-'; got '{name}'.", nameof(name));
        foreach (var a in aliases)
            if (!IsName(a)) throw new ArgumentException($"alias must be a lower-case word of letters, digits, '_' or '-'; got '{a}'.", nameof(aliases));
        foreach (var p in parameters)
        {
            if (p is null || !IsName(p.Name)) throw new ArgumentException($"parameter names must be lower-case words; got '{p?.Name}'.", nameof(parameters));
            if (!(p.Min <= p.Max) || !double.IsFinite(p.Min) || !double.IsFinite(p.Max) || !p.Accepts(p.Default))
                throw new ArgumentException($"parameter {p.Name}: default {p.Default} must lie in finite bounds [{p.Min}, {p.Max}].", nameof(parameters));
        }
        if (parameters.Select(p => p.Name).Distinct().Count() != parameters.Count) throw new ArgumentException($"{name}: parameter names must be unique.", nameof(parameters));
        if (gridParameter is not null && parameters.All(p => p.Name != gridParameter || !p.IsInteger))
            throw new ArgumentException($"{name}: gridParameter '{gridParameter}' must name an integer parameter.", nameof(gridParameter));
        Name = name;
        Aliases = aliases.ToArray();
        Parameters = parameters.ToArray();
        Summary = summary ?? "";
        GridParameter = gridParameter;
        ScaleSpOverRootIn = scaleSpOverRootIn;
        _factory = factory;
        _check = check;
    }

    /// <summary>The name in specs ("rbf").</summary>
    public string Name { get; }
    /// <summary>Other accepted names.</summary>
    public IReadOnlyList<string> Aliases { get; }
    /// <summary>The arguments, in positional order.</summary>
    public IReadOnlyList<KanBasisParameter> Parameters { get; }
    /// <summary>The basis in a few words.</summary>
    public string Summary { get; }
    /// <summary>The argument a model string's "@G" sets, or null when "@G" does not apply.</summary>
    public string? GridParameter { get; }
    /// <summary>Whether scale_sp starts at ScaleSp/√in when this basis is a layer's first.</summary>
    public bool ScaleSpOverRootIn { get; }

    /// <summary>The spec with every argument at its default.</summary>
    public KanBasisSpec DefaultSpec => new(this);

    /// <summary>Index of parameter <paramref name="name"/> (case-insensitive), or −1.</summary>
    public int IndexOf(string name)
    {
        for (int q = 0; q < Parameters.Count; q++)
            if (Parameters[q].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return q;
        return -1;
    }

    internal string? Check(KanBasisSpec spec) => _check?.Invoke(spec);

    internal KanBasis Create(int inputs, KanBasisSpec spec)
    {
        var basis = _factory(inputs, spec) ?? throw new InvalidOperationException($"the factory of basis '{Name}' returned null.");
        if (basis.Inputs != inputs) throw new InvalidOperationException($"the factory of basis '{Name}' built {basis.Inputs} inputs; the layer has {inputs}.");
        // The layer names parameters and buffers after KanBasis.Name (coef_rbf, grid_bspline): it must be the spec's name.
        if (basis.Name != Name) throw new InvalidOperationException($"the factory of basis '{Name}' built a basis named '{basis.Name}'.");
        return basis;
    }

    /// <summary>"rbf(centres, min, max)".</summary>
    public override string ToString() => Parameters.Count == 0 ? Name : $"{Name}({string.Join(", ", Parameters.Select(p => p.Name))})";

    private static bool IsName(string? s) =>
        !string.IsNullOrEmpty(s) && s.Length <= 64 && char.IsAsciiLetterLower(s[0]) && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');
}
