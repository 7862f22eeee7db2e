using System.Globalization;

namespace Nonlinear.Activations;

/// <summary>The type of value a <see cref="SpecParameter"/> accepts.</summary>
public enum SpecValueKind
{
    /// <summary>A finite real number within float32 range (kernels compute in float).</summary>
    Number,
    /// <summary>An integer.</summary>
    Integer,
    /// <summary>true or false (also 1/0, yes/no).</summary>
    Boolean,
    /// <summary>One word of a fixed list.</summary>
    Choice,
    /// <summary>A fixed catalog activation spec such as "gelu" or "leaky_relu(0.01)".</summary>
    Activation,
}

/// <summary>
/// One argument of an activation spec ("name(value, key=value)"), for fixed catalog entries and learnable units alike:
/// its type, default, bounds and meaning. <see cref="Canonical"/> validates a typed value and returns the one spelling
/// that <see cref="SpecArguments"/> stores, so two specs with the same values print and compare equal.
/// </summary>
/// <param name="Name">The keyword (PyTorch's where PyTorch has the unit).</param>
/// <param name="Kind">What kind of value it takes.</param>
/// <param name="Default">The default in canonical spelling.</param>
/// <param name="Description">What it controls.</param>
/// <param name="Min">Smallest accepted value (numbers and integers).</param>
/// <param name="Max">Largest accepted value (numbers and integers).</param>
/// <param name="Choices">The accepted words (choices), canonical first when a word has synonyms listed in <paramref name="Synonyms"/>.</param>
/// <param name="Synonyms">Other spellings of choices, e.g. "abs" for "abssum".</param>
public sealed record SpecParameter(string Name, SpecValueKind Kind, string Default, string Description,
    double Min = double.NegativeInfinity, double Max = double.PositiveInfinity, IReadOnlyList<string>? Choices = null,
    IReadOnlyDictionary<string, string>? Synonyms = null)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A real-valued argument in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static SpecParameter Number(string name, double @default, string description, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        new(name, SpecValueKind.Number, Format(@default), description, min, max);

    /// <summary>An integer argument in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static SpecParameter Integer(string name, int @default, string description, int min, int max) =>
        new(name, SpecValueKind.Integer, @default.ToString(Inv), description, min, max);

    /// <summary>A true/false argument.</summary>
    public static SpecParameter Boolean(string name, bool @default, string description) =>
        new(name, SpecValueKind.Boolean, @default ? "true" : "false", description);

    /// <summary>One of <paramref name="choices"/> (case-insensitive).</summary>
    public static SpecParameter Choice(string name, string @default, string description, string[] choices, Dictionary<string, string>? synonyms = null) =>
        new(name, SpecValueKind.Choice, @default, description, Choices: choices, Synonyms: synonyms);

    /// <summary>A fixed catalog activation spec (e.g. the function a rational unit is fitted to).</summary>
    public static SpecParameter ActivationName(string name, string @default, string description) =>
        new(name, SpecValueKind.Activation, @default, description);

    /// <summary>The catalog's declaration of a hyper-parameter as a number argument.</summary>
    public static SpecParameter From(ActivationParameter p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return Number(p.Name, p.Default, p.Description, p.Min, p.Max);
    }

    /// <summary>
    /// Validates <paramref name="raw"/> and returns its canonical spelling (numbers in round-trip form, booleans as
    /// true/false, choices in lower case, activation specs as the catalog prints them).
    /// </summary>
    /// <param name="raw">The value as typed.</param>
    /// <param name="spec">The whole spec, for the message.</param>
    /// <exception cref="InvalidInputException">A value of the wrong type or outside the bounds; the message names spec, parameter, expectation and value.</exception>
    public string Canonical(string raw, string spec)
    {
        ArgumentNullException.ThrowIfNull(raw);
        string v = raw.Trim();
        switch (Kind)
        {
            case SpecValueKind.Number:
                if (!double.TryParse(v, NumberStyles.Float, Inv, out double d) || double.IsNaN(d))
                    throw Bad(spec, $"'{v}' is not a number (parameter {Name})");
                // Kernels compute in float32: a value that does not fit would become ±∞ there and diverge, so it is refused here.
                // An infinite default (relu_keras's max_value, Keras None = no cap) makes that infinity a meaningful value.
                bool infinityMeans = double.IsInfinity(d) && Default == Format(d);
                if (!infinityMeans && (double.IsInfinity(d) || Math.Abs(d) > float.MaxValue))
                    throw Bad(spec, $"{Name} = {v} is outside the float32 range; expected a finite value with |value| ≤ {float.MaxValue.ToString("G9", Inv)}");
                if (d < Min || d > Max) throw Bad(spec, $"{Name} = {v}; expected a value in [{Min.ToString(Inv)}, {Max.ToString(Inv)}]");
                return Format(d);
            case SpecValueKind.Integer:
                if (!long.TryParse(v, NumberStyles.Integer, Inv, out long i) || i < Min || i > Max)
                    throw Bad(spec, $"{Name} must be an integer in [{Min.ToString(Inv)}, {Max.ToString(Inv)}]; got '{v}'");
                return i.ToString(Inv);
            case SpecValueKind.Boolean:
                return v.ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" => "true",
                    "false" or "0" or "no" => "false",
                    _ => throw Bad(spec, $"{Name} must be true or false; got '{v}'"),
                };
            case SpecValueKind.Choice:
                string w = v.ToLowerInvariant();
                if (Synonyms is not null && Synonyms.TryGetValue(w, out var canonical)) w = canonical;
                if (Choices is null || !Choices.Contains(w)) throw Bad(spec, $"{Name} must be {string.Join(" or ", Choices ?? [])}; got '{v}'");
                return w;
            case SpecValueKind.Activation:
                try { return ActivationCatalog.Parse(v).ToString(); }
                catch (ArgumentException e) { throw new InvalidInputException($"activation '{spec}': {Name}: {MessageText.WithoutParameter(e)}", nameof(spec)); }
            default:
                throw new InvalidOperationException($"parameter {Name} has an unhandled kind {Kind}.");
        }
    }

    /// <summary>A number in the spelling specs use (shortest round-trip form).</summary>
    public static string Format(double value) => value.ToString("R", Inv);

    private static InvalidInputException Bad(string spec, string what) => new($"activation '{spec}': {what}.", nameof(spec));
}
