using System.Globalization;
using Nonlinear.Kan;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>
/// A typed model description: the kind (<see cref="ModelKinds"/>), the hidden widths, the activation between layers
/// and, for KAN kinds, the bases of the layers (<see cref="Bases"/>) and the B-spline grid size. <see cref="Parse"/> is the
/// one reader of "kind[B1,B2,…]:W1,W2,…[@G]" with one set of bounds; <see cref="ToString"/> prints the architecture so that <c>Parse(spec.ToString(), spec.Activation?.ToString())</c>
/// equals <c>spec</c>. Widths are hidden widths for every kind; inputs and outputs come from the data.
/// </summary>
public sealed partial record ModelSpec
{
    private readonly KanBasisSpec[]? _givenBases;     // the bracketed list, null when the kind's own bases apply

    /// <summary>Most widths a spec may list.</summary>
    public const int MaxLayers = 64;

    /// <summary>Largest "@G" grid size.</summary>
    public const int MaxGrid = 1000;

    /// <summary>A validated spec.</summary>
    /// <param name="kind">The model kind.</param>
    /// <param name="widths">Hidden widths (channel counts for cnn).</param>
    /// <param name="activation">The activation between layers; null means the kind's default (relu for mlp and cnn, none for KAN kinds).</param>
    /// <param name="grid">The B-spline grid size ("@G"), only for kinds that accept one.</param>
    /// <param name="bases">The KAN bases of the layers ("kan[rbf]:64"), only for KAN kinds; null for the kind's own.</param>
    /// <param name="options">Kind options ("beta=0.9" as ("beta", "0.9")), bound to <see cref="ModelKind.KindOptions"/>.</param>
    /// <exception cref="InvalidInputException">Widths or grid out of bounds, an activation for a kind that takes none, bases for a kind without any (or listing one twice), or an unknown or invalid option.</exception>
    public ModelSpec(ModelKind kind, IReadOnlyList<int> widths, ActivationSpec? activation = null, int? grid = null, IReadOnlyList<KanBasisSpec>? bases = null,
        IReadOnlyList<(string Key, string Value)>? options = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(widths);
        if (bases is not null && bases.Any(b => b is null)) throw new ArgumentNullException(nameof(bases), "bases must not contain null.");
        if (bases is not null && kind.DefaultBases is not null && bases.SequenceEqual(kind.DefaultBases)) bases = null;
        string text = Format(kind, widths, grid, bases);
        if (widths.Count > MaxLayers) throw new InvalidInputException($"--model '{text}': {widths.Count} widths; at most {MaxLayers} layers.", nameof(widths));
        if (widths.Count == 0 && !kind.AllowsNoWidths) throw new InvalidInputException($"--model '{text}': expected {kind.Form}.", nameof(widths));
        foreach (int w in widths)
            if (w < 1 || w > kind.MaxWidth)
                throw new InvalidInputException($"--model '{text}': {kind.WidthWord} {w} is not in [1, {kind.MaxWidth}]; expected {kind.Form}.", nameof(widths));
        if (grid is int g && (!kind.AcceptsGrid || g < 1 || g > MaxGrid))
            throw new InvalidInputException(kind.AcceptsGrid
                ? $"--model '{text}': grid size {g} is not in [1, {MaxGrid}]; expected {kind.Form}."
                : $"--model '{text}': @G (grid size) applies to KAN kinds only; expected {kind.Form}.", nameof(grid));
        if (activation is not null && kind.DefaultActivation is null)
            throw new InvalidInputException($"--activation '{activation}': {kind.Name} models take no activation; {kind.NoActivationReason}.", nameof(activation));
        Kind = kind;
        Widths = widths.ToArray();
        Activation = activation ?? kind.DefaultActivation;
        Grid = grid;
        _givenBases = bases?.ToArray();
        Bases = EffectiveBases(kind, text, _givenBases, grid);
        _options = BindOptions(kind, text, options);
    }

    /// <summary>The model kind.</summary>
    public ModelKind Kind { get; }

    /// <summary>Hidden widths (channel counts for cnn).</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>The activation between layers (the kind's default when none was given); null for kinds that take none.</summary>
    public ActivationSpec? Activation { get; }

    /// <summary>The B-spline grid size of "@G", when given.</summary>
    public int? Grid { get; }

    /// <summary>
    /// The bases of every KAN layer, "@G" applied (the listed ones, else the kind's); empty for kinds without bases.
    /// "skan:32" has four; "kan[rbf(centres=12)]:64" one.
    /// </summary>
    public IReadOnlyList<KanBasisSpec> Bases { get; }

    /// <summary>
    /// Reads "kind", "kind:" or "kind:W1,W2,…" with an optional "@G" and, for KAN kinds, an optional basis list
    /// "kind[B1,B2,…]" of <see cref="KanBasisSpec"/>s; and the activation spec (null or empty: the kind's default).
    /// </summary>
    /// <param name="model">The model spec, e.g. "mlp:256,256", "cnn:16,32", "kan:64@8", "kan[rbf(centres=12)]:64", "skan[bspline,fourier]:32@8".</param>
    /// <param name="activation">The activation spec, e.g. "gelu" or "pau(5,4)"; null or blank for the kind's default.</param>
    /// <exception cref="InvalidInputException">Unknown kind (with "did you mean"), malformed or out-of-range widths or grid, a bad activation, or an activation for a KAN kind.</exception>
    public static ModelSpec Parse(string model, string? activation = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length > 4096) throw new InvalidInputException($"--model is {model.Length} characters long; at most 4096 are read.", nameof(model));
        ActivationSpec? act = null;
        if (!string.IsNullOrWhiteSpace(activation))
        {
            try { act = ActivationSpec.Parse(activation); }
            catch (InvalidInputException e) { throw new InvalidInputException($"--activation: {MessageText.WithoutParameter(e)}", nameof(activation)); }
        }
        var parts = model.Trim().Split(':', 2);
        var (head, bases) = SplitBases(model, parts[0]);
        ModelKind kind;
        try { kind = ModelKinds.Get(head); }
        catch (InvalidInputException e) { throw new InvalidInputException($"--model '{model}': {MessageText.WithoutParameter(e)}", nameof(model)); }
        string body = parts.Length == 2 ? parts[1] : "";
        int? grid = null;
        int at = body.IndexOf('@');
        if (at >= 0)
        {
            string g = body[(at + 1)..].Trim();
            if (!int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out int gv))
                throw new InvalidInputException($"--model '{model}': grid size '{g}' is not an integer in [1, {MaxGrid}]; expected {kind.Form}.", nameof(model));
            grid = gv;
            body = body[..at];
        }
        var widths = new List<int>();
        List<(string, string)> options = [];
        if (kind.ParseWidths(body, model) is { } custom) widths.AddRange(custom);
        else if (body.Trim().Length > 0)
        {
            (var items, options) = SplitItems(model, body);
            if (items.Count > MaxLayers) throw new InvalidInputException($"--model '{model}': {items.Count} widths; at most {MaxLayers} layers.", nameof(model));
            foreach (var item in items)
            {
                // "WxD" is D widths W (mlp:256x3 = mlp:256,256,256), the form coordinate networks are written in.
                if (item.Split('x', 'X') is [var w0, var d0] && int.TryParse(w0.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int rw)
                    && int.TryParse(d0.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int rd))
                {
                    if (rd < 1 || widths.Count + rd > MaxLayers)
                        throw new InvalidInputException($"--model '{model}': '{item.Trim()}' repeats width {rw} {rd} times; expected 1 to {MaxLayers} layers in all.", nameof(model));
                    widths.AddRange(Enumerable.Repeat(rw, rd));
                    continue;
                }
                if (!int.TryParse(item.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int w))
                    throw new InvalidInputException($"--model '{model}': {kind.WidthWord} '{item.Trim()}' is not an integer in [1, {kind.MaxWidth}]; expected {kind.Form}.", nameof(model));
                widths.Add(w);
            }
        }
        return new ModelSpec(kind, widths, act, grid, bases, options);
    }

    /// <summary>The same architecture with another activation (null: the kind's default), validated like <see cref="Parse"/>.</summary>
    /// <exception cref="InvalidInputException">An activation for a kind that takes none.</exception>
    public ModelSpec WithActivation(ActivationSpec? activation) => new(Kind, Widths, activation, Grid, _givenBases, OptionPairs());

    /// <summary>
    /// The network for <paramref name="inputs"/> features and <paramref name="outputs"/> outputs. Each hidden layer gets
    /// its own activation module sized by its width (<see cref="ActivationSpec.CreateModule"/>); learnable units draw
    /// nothing from <paramref name="rng"/>, so the other weights equal those of a fixed-activation model with the same seed.
    /// </summary>
    /// <param name="inputs">Input features.</param>
    /// <param name="outputs">Outputs (classes).</param>
    /// <param name="rng">Source of the initial weights.</param>
    /// <param name="warn">Receives each distinct warning once (e.g. a rational fit's out-of-range divergence).</param>
    /// <exception cref="InvalidInputException">The data does not fit the kind (e.g. a CNN on non-square features).</exception>
    public Module Build(int inputs, int outputs, Rng rng, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "inputs must be ≥ 1.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "outputs must be ≥ 1.");
        var seen = new HashSet<string>();
        Func<int, Module>? factory = Activation is { } a ? width => a.CreateModule(width, rng, w => { if (seen.Add(w)) warn?.Invoke(w); }) : null;
        return Kind.Build(this, inputs, outputs, factory, rng);
    }

    /// <summary>
    /// "kind:W1,W2,…" with "[B1,…]" when bases other than the kind's were given and "@G" when a grid size was (the
    /// activation is printed by <see cref="Activation"/>).
    /// </summary>
    public override string ToString() => Format(Kind, Widths, Grid, _givenBases) + FormatOptions();

    private (string, string)[] OptionPairs() => Kind.KindOptions.Select((p, i) => (p.Name, _options[i])).ToArray();

    private static string Format(ModelKind kind, IReadOnlyList<int> widths, int? grid, IReadOnlyList<KanBasisSpec>? bases) =>
        $"{kind.Name}{(bases is null ? "" : "[" + string.Join(",", bases) + "]")}:{kind.FormatWidths(widths)}{(grid is int g ? "@" + g.ToString(CultureInfo.InvariantCulture) : "")}";

    /// <summary>Same kind, widths, activation, grid and bases.</summary>
    public bool Equals(ModelSpec? other) =>
        other is not null && ReferenceEquals(Kind, other.Kind) && Widths.SequenceEqual(other.Widths) && Equals(Activation, other.Activation) && Grid == other.Grid
        && Bases.SequenceEqual(other.Bases) && _options.SequenceEqual(other._options);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind.Name, string.Join(",", Widths), Activation, Grid, string.Join(",", Bases), string.Join(",", _options));
}
