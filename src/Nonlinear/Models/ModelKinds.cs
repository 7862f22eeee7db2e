using Nonlinear.Kan;

namespace Nonlinear.Models;

/// <summary>The model kinds of "kind:W1,W2,…" specs, one registration line each.</summary>
public static class ModelKinds
{
    /// <summary>Every kind, in the order help lists them.</summary>
    public static IReadOnlyList<ModelKind> All { get; } =
    [
        new MlpKind(),
        new SnnKind(),
        new CnnKind(),
        new KanKind("kan", KanOptions.Pykan, "B-spline, pykan's defaults"),
        new KanKind("kan-rbf", KanOptions.FastKan, "Gaussian RBFs, FastKAN"),
        new KanKind("kan-fourier", KanOptions.FourierKan, "FourierKAN"),
        new KanKind("kan-chebyshev", KanOptions.ChebyKan, "ChebyKAN"),
        new KanKind("skan", KanOptions.Selectable, "S-KAN: each node selects among B-spline, RBF, Fourier and Chebyshev"),
        new GptKind(),
        new SirenKind(),
        new SpderKind(),
        new FinerKind(),
        new GaussKind(),
        new GaborKind(),
    ];

    /// <summary>The kind named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">Unknown kind; the message suggests the closest and lists all.</exception>
    public static ModelKind Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var kind = All.FirstOrDefault(k => k.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (kind is not null) return kind;
        throw new InvalidInputException(Activations.NameSuggester.Message("model kind", name, All.Select(k => k.Name),
            "kinds: " + string.Join("; ", All.Select(k => k.Form))), nameof(name));
    }
}
