using Nonlinear.Activations;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// A typed activation spec: a name from the <see cref="ActivationRegistry"/> (fixed or learnable) with its arguments
/// bound, validated and in canonical spelling. <see cref="Parse"/> is the one reader of "name" and "name(v, key=v)";
/// <see cref="ToString"/> prints the arguments that differ from their defaults and parses back to an equal spec;
/// <see cref="CreateModule"/> makes the module for a layer, so every model kind takes any activation the same way.
/// </summary>
public sealed record ActivationSpec
{
    private ActivationSpec(RegisteredActivation entry, IReadOnlyList<string> values)
    {
        Entry = entry;
        Values = values;
    }

    /// <summary>The registry entry.</summary>
    public RegisteredActivation Entry { get; }

    /// <summary>Canonical name.</summary>
    public string Name => Entry.Name;

    /// <summary>One canonical value per parameter of <see cref="Entry"/>, defaults included.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>True when the activation has trained parameters (a learnable unit).</summary>
    public bool IsLearnable => Entry.IsLearnable;

    /// <summary>The bound fixed activation; null for a learnable unit.</summary>
    public Activation? Fixed => Entry.Bind(Values);

    /// <summary>The spec "relu" (the default of the model kinds that use an activation).</summary>
    public static ActivationSpec Relu { get; } = Parse("relu");

    /// <summary>
    /// Reads "name", "name()", "name(v1, v2)" or "name(key=v, …)", or a formula of x ("x*tanh(softplus(x))",
    /// "x*sigmoid(b*x); b=1.5", optionally prefixed "formula:"): a spec is a formula when it has an operator (+ − * / ^ ;) outside
    /// parentheses, uses the word x, or has the prefix, so every catalog and learnable spec reads as before. Learnable units are built once at width 1 so that
    /// every error a later <see cref="CreateModule"/> could raise (a rational fit that fails) is raised here.
    /// </summary>
    /// <exception cref="InvalidInputException">Unknown name (with "did you mean"), unknown or repeated argument, malformed or out-of-range value (including beyond float32).</exception>
    public static ActivationSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (IsFormulaText(spec))
        {
            // A formula is its own one-off entry with no arguments; its name is the formula text, which ToString prints.
            var formula = Activations.Formula.FormulaActivation.Parse(spec);
            return new ActivationSpec(RegisteredActivation.Of(new ActivationEntry(formula.Info, _ => formula)), []);
        }
        var (name, args) = SpecArguments.Split(spec);
        if (name.Length == 0) throw new InvalidInputException($"activation '{spec}': empty name; expected e.g. relu, gelu, leaky_relu(0.2), prelu.", nameof(spec));
        var entry = ActivationRegistry.Get(name);
        var parsed = new ActivationSpec(entry, SpecArguments.Bind(spec, entry.Name, entry.Parameters, args));
        if (entry.IsLearnable) parsed.CreateModule(1, new Rng(0));
        else _ = parsed.Fixed;
        return parsed;
    }

    /// <summary>Reads a comma-separated list "relu, elu(alpha=0.5), pau(5,4)" (commas inside parentheses belong to the arguments).</summary>
    /// <exception cref="InvalidInputException">An empty item, unbalanced parentheses, or an item <see cref="Parse"/> rejects.</exception>
    public static IReadOnlyList<ActivationSpec> ParseList(string specs) => ActivationCatalog.SplitList(specs).Select(Parse).ToArray();

    /// <summary>The module for a layer of <paramref name="width"/> features: an <see cref="ActivationLayer"/> for a fixed entry, the unit's module otherwise.</summary>
    /// <param name="width">Features (channels) of the layer; per-channel units get one parameter set per feature.</param>
    /// <param name="rng">Source for units with random initialisation (today's units draw nothing, so the other weights do not change).</param>
    /// <param name="warn">Receives warnings (e.g. a rational fit's divergence outside its range).</param>
    public Module CreateModule(int width, Rng rng, Action<string>? warn = null) => Entry.CreateModule(Values, width, rng, warn);

    /// <summary>"name" or "name(key=value, …)" with the arguments that differ from their defaults.</summary>
    public override string ToString()
    {
        var given = Entry.Parameters.Select((p, i) => (p, v: Values[i])).Where(t => t.v != t.p.Default).Select(t => $"{t.p.Name}={t.v}").ToArray();
        return given.Length == 0 ? Name : $"{Name}({string.Join(", ", given)})";
    }

    /// <summary>
    /// True when <see cref="Parse"/> reads <paramref name="spec"/> as a formula rather than a registry name: it starts with
    /// "formula:", has an operator (+ − * / ^ ;) outside parentheses, or uses the word x. Says nothing about validity.
    /// </summary>
    public static bool IsFormulaText(string spec) => Activations.Formula.FormulaText.IsFormula(spec) && !IsLearnableCall(spec);

    // "prelu(init=x)" is the learnable prelu with a malformed argument (its error names the parameter), not a formula:
    // the catalog side of this rule lives in FormulaText, which cannot see the learnable units registered here.
    private static bool IsLearnableCall(string spec)
    {
        string s = spec.Trim();
        int open = s.IndexOf('(');
        if (open <= 0 || !s.EndsWith(')')) return false;
        int depth = 0;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] == '(') depth++;
            else if (s[i] == ')' && --depth == 0 && i != s.Length - 1) return false; // "prelu(…)*x": a formula
        }
        return ActivationRegistry.TryGet(s[..open].Trim(), out var entry) && entry.IsLearnable;
    }

    /// <summary>True for a formula of x ("x*tanh(softplus(x))"); its <see cref="Name"/> is the formula text.</summary>
    public bool IsFormula => Entry.Fixed?.Info.Family == Activations.Formula.FormulaActivation.FamilyName;

    /// <summary>Same entry (for formulas: the same formula text) and the same canonical values.</summary>
    public bool Equals(ActivationSpec? other) => other is not null
        && (ReferenceEquals(Entry, other.Entry) || (IsFormula && other.IsFormula && Name == other.Name)) && Values.SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, string.Join("\u0001", Values));
}
