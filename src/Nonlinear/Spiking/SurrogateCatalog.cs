using System.Globalization;
using Nonlinear.Activations;

namespace Nonlinear.Spiking;

/// <summary>The surrogate gradients of spiking neurons, one registration line each; reads "name(slope)" specs.</summary>
public static class SurrogateCatalog
{
    internal static IReadOnlyList<SurrogateEntry> Entries { get; } =
    [
        FastSigmoid.Entry,
        ArcTan.Entry,
        SigmoidSurrogate.Entry,
        Triangle.Entry,
        StraightThrough.Entry,
    ];

    /// <summary>The canonical names, in catalog order.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    /// <summary>snnTorch's default for Leaky neurons in its tutorials: fast_sigmoid(25).</summary>
    public static SurrogateGradient Default { get; } = new FastSigmoid();

    /// <summary>
    /// Reads "fast_sigmoid", "fast_sigmoid(25)" or "arctan(slope=2)" (aliases: atan, ste) with the activation specs'
    /// one argument reader.
    /// </summary>
    /// <exception cref="InvalidInputException">Unknown name (with "did you mean"), too many arguments or a slope outside (0, 1e6].</exception>
    public static SurrogateGradient Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (name, args) = SpecArguments.Split(spec);
        var entry = Entries.FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                                                || (e.Aliases?.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? false))
            ?? throw new InvalidInputException(NameSuggester.Message("surrogate", name, Names, "surrogates: " + string.Join(", ", Names)), nameof(spec));
        string[] values;
        try { values = SpecArguments.Bind(spec, entry.Name, [entry.Parameter], args); }
        catch (InvalidInputException e) { throw new InvalidInputException(Reworded(MessageText.WithoutParameter(e)), nameof(spec)); }
        return entry.Create(double.Parse(values[0], CultureInfo.InvariantCulture));
    }

    // The shared binder words its messages for activations ("activation 'x(…)': …"); a surrogate is not one.
    private static string Reworded(string message) =>
        message.StartsWith("activation ", StringComparison.Ordinal) ? "surrogate " + message["activation ".Length..] : message;
}
