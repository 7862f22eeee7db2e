using System.Globalization;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Inr;

/// <summary>How coordinates are encoded before a coordinate network: none, NeRF's positional encoding, or Gaussian Fourier features.</summary>
public enum EncodingKind
{
    /// <summary>The raw coordinates.</summary>
    None,
    /// <summary><see cref="PositionalEncoding"/>: "pe(L)".</summary>
    Positional,
    /// <summary><see cref="FourierFeatures"/>: "fourier(σ,m)".</summary>
    Fourier,
}

/// <summary>
/// A parsed --encoding: "none", "pe(L)" (NeRF, L octaves; "positional(L)" too) or "fourier(σ,m)" (Tancik et al., m
/// features at scale σ). ToString parses back.
/// </summary>
/// <param name="Kind">The encoding.</param>
/// <param name="Frequencies">L of pe, m of fourier (0 for none).</param>
/// <param name="Sigma">σ of fourier (0 otherwise).</param>
public sealed record CoordinateEncoding(EncodingKind Kind, int Frequencies = 0, double Sigma = 0)
{
    /// <summary>No encoding.</summary>
    public static CoordinateEncoding None { get; } = new(EncodingKind.None);

    /// <summary>Largest m of fourier(σ,m).</summary>
    public const int MaxFeatures = 4096;

    /// <summary>Parses an --encoding value.</summary>
    /// <exception cref="InvalidInputException">Not one of the forms, or a value out of range; the message names --encoding.</exception>
    public static CoordinateEncoding Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t is "none" or "") return None;
        int open = t.IndexOf('(');
        if (open < 0 || !t.EndsWith(')')) throw Bad(text, "no parenthesised arguments");
        string name = t[..open].Trim();
        string[] args = t[(open + 1)..^1].Split(',').Select(a => a.Trim()).ToArray();
        if (name is "pe" or "positional")
        {
            if (args.Length != 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out int l) || l < 1 || l > 30)
                throw Bad(text, "pe takes one integer L in [1, 30]");
            return new(EncodingKind.Positional, l);
        }
        if (name == "fourier")
        {
            if (args.Length != 2) throw Bad(text, $"fourier takes σ and m; got {args.Length} argument(s)");
            if (!double.TryParse(args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !(s > 0) || !double.IsFinite(s) || s > 1e4)
                throw Bad(text, $"σ '{args[0]}' is not a number in (0, 10000]");
            if (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int m) || m < 1 || m > MaxFeatures)
                throw Bad(text, $"m '{args[1]}' is not an integer in [1, {MaxFeatures}]");
            return new(EncodingKind.Fourier, m, s);
        }
        throw Bad(text, $"unknown encoding '{name}'");
    }

    /// <summary>Features out of the encoding for <paramref name="inputs"/> coordinates.</summary>
    public int OutputFeatures(int inputs) => Kind switch
    {
        EncodingKind.Positional => inputs * (1 + 2 * Frequencies),
        EncodingKind.Fourier => 2 * Frequencies,
        _ => inputs,
    };

    /// <summary>The encoding module for <paramref name="inputs"/> coordinates (null for none); fourier draws B from <paramref name="rng"/>.</summary>
    public Module? Build(int inputs, Rng rng) => Kind switch
    {
        EncodingKind.Positional => new PositionalEncoding(Frequencies),
        EncodingKind.Fourier => new FourierFeatures(inputs, Frequencies, Sigma, rng),
        _ => null,
    };

    /// <summary>"none", "pe(L)" or "fourier(σ,m)".</summary>
    public override string ToString() => Kind switch
    {
        EncodingKind.Positional => string.Create(CultureInfo.InvariantCulture, $"pe({Frequencies})"),
        EncodingKind.Fourier => string.Create(CultureInfo.InvariantCulture, $"fourier({Sigma:R},{Frequencies})"),
        _ => "none",
    };

    private static InvalidInputException Bad(string text, string why) =>
        new($"--encoding '{text}': {why}; expected none, pe(L) (NeRF positional encoding, e.g. pe(10)) or fourier(σ,m) (Gaussian Fourier features, e.g. fourier(10,256)).", "encoding");
}
