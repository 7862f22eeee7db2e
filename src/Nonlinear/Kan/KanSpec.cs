using System.Globalization;

namespace Nonlinear.Kan;

/// <summary>
/// Parses KAN model descriptions: <c>kind:W1,W2,…</c> where kind is <c>kan</c> (B-spline, pykan defaults),
/// <c>kan-rbf</c> (FastKAN), <c>kan-fourier</c> (FourierKAN), <c>kan-chebyshev</c> (ChebyKAN) or <c>skan</c> (S-KAN
/// over B-spline, RBF, Fourier and Chebyshev spaces), optionally followed by <c>@G</c> for the B-spline grid size, e.g. <c>kan:2,5,1@10</c>.
/// </summary>
public static class KanSpec
{
    private const string Form = "expected kan:W1,W2,… (kinds kan, kan-rbf, kan-fourier, kan-chebyshev, skan; optional @G grid size), e.g. kan:2,5,1 or kan:64@10";

    /// <summary>True when <paramref name="spec"/> names a KAN model kind.</summary>
    public static bool IsKan(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string kind = spec.Trim().Split(':', 2)[0].Trim().ToLowerInvariant();
        return kind is "kan" or "kan-rbf" or "kan-fourier" or "kan-chebyshev" or "skan";
    }

    /// <summary>The widths listed in the spec and the layer options its kind and @G select.</summary>
    /// <exception cref="ArgumentException">Malformed spec (the message names it and the expected form).</exception>
    public static (int[] Widths, KanOptions Options) Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Trim().Split(':', 2);
        if (parts.Length != 2 || !IsKan(parts[0])) throw new InvalidInputException($"--model '{spec}': unknown model kind; {Form}.");
        var options = parts[0].Trim().ToLowerInvariant() switch
        {
            "kan" => KanOptions.Pykan,
            "kan-rbf" => KanOptions.FastKan,
            "kan-fourier" => KanOptions.FourierKan,
            "kan-chebyshev" => KanOptions.ChebyKan,
            _ => KanOptions.Selectable,
        };
        string body = parts[1];
        int at = body.IndexOf('@');
        if (at >= 0)
        {
            string g = body[(at + 1)..].Trim();
            if (!int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out int grid) || grid < 1 || grid > 1000)
                throw new InvalidInputException($"--model '{spec}': grid size '{g}' is not in [1, 1000]; {Form}.");
            options = options with { GridSize = grid };
            body = body[..at];
        }
        if (body.Trim().Length == 0) return ([], options);
        var items = body.Split(',');
        if (items.Length > 64) throw new InvalidInputException($"--model '{spec}': {items.Length} widths; at most 64 layers.");
        var widths = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
            if (!int.TryParse(items[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] <= 0 || widths[i] > 1 << 16)
                throw new InvalidInputException($"--model '{spec}': width '{items[i].Trim()}' is not in [1, 65536]; {Form}.");
        return (widths, options);
    }

    /// <summary>
    /// A network for data with <paramref name="inputs"/> features and <paramref name="outputs"/> targets: the spec's
    /// widths are the hidden layers (as for mlp:), so <c>kan:64</c> on Fashion-MNIST is [784, 64, 10].
    /// </summary>
    public static KanNetwork Build(string spec, int inputs, int outputs, Tensors.Rng rng)
    {
        var (hidden, options) = Parse(spec);
        return new KanNetwork([inputs, .. hidden, outputs], options, rng);
    }
}
