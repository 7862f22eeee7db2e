using System.Globalization;

namespace Nonlinear.Quantization.Qat;

/// <summary>How weights and activations are quantized during training.</summary>
public enum QatScheme
{
    /// <summary>Uniform codes: per-channel symmetric weights, per-tensor asymmetric activations with a moving-average min-max observer.</summary>
    MinMax,
    /// <summary>Uniform codes with learned steps (LSQ): per-channel weight steps, one signed activation step per layer input.</summary>
    Lsq,
    /// <summary>XNOR-Net binary weights (α·sgn W) and binary activations (sign with a clipped straight-through estimator).</summary>
    Binary,
    /// <summary>TWN ternary weights and ternary activations.</summary>
    Ternary,
}

/// <summary>
/// The typed form of <c>train --qat</c>: "8", "4", "2" (min-max fake quantization at that width), "lsq:4" (learned
/// steps), "binary", "ternary". <see cref="ToString"/> gives the text back (what a checkpoint records).
/// </summary>
/// <param name="Scheme">The quantizer family.</param>
/// <param name="Bits">Code width of the uniform schemes (2–8); 1 for binary and 2 for ternary, for display.</param>
public sealed record QatSpec(QatScheme Scheme, int Bits)
{
    /// <summary>The accepted forms, for help and errors.</summary>
    public const string Expected = "8, 4, 2 (any of 2–8 bits: min-max fake quantization), lsq:B (learned step size, B in 2–8), binary or ternary";

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="option"/>.</summary>
    /// <exception cref="InvalidInputException">Not one of the <see cref="Expected"/> forms.</exception>
    public static QatSpec Parse(string text, string option = "--qat")
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t == "binary") return new(QatScheme.Binary, 1);
        if (t == "ternary") return new(QatScheme.Ternary, 2);
        var scheme = QatScheme.MinMax;
        if (t.StartsWith("lsq:", StringComparison.Ordinal)) (scheme, t) = (QatScheme.Lsq, t[4..]);
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int bits) && bits is >= 2 and <= 8) return new(scheme, bits);
        throw new InvalidInputException($"{option}: expected {Expected}; got '{(text.Length <= 40 ? text : text[..40] + "…")}'.", option);
    }

    /// <summary>True when the trained network maps onto the int8 kernels unchanged (<see cref="QatConverter"/>): 8-bit min-max.</summary>
    public bool IsInt8 => Scheme == QatScheme.MinMax && Bits == 8;

    /// <summary>"8", "lsq:4", "binary", "ternary".</summary>
    public override string ToString() => Scheme switch
    {
        QatScheme.Binary => "binary",
        QatScheme.Ternary => "ternary",
        QatScheme.Lsq => "lsq:" + Bits.ToString(CultureInfo.InvariantCulture),
        _ => Bits.ToString(CultureInfo.InvariantCulture),
    };
}
