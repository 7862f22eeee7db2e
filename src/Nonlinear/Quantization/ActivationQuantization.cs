using System.Globalization;

namespace Nonlinear.Quantization;

/// <summary>
/// Per-tensor asymmetric uint8 quantization of activations: q = clamp(round(x / Scale) + ZeroPoint, 0, 255) (round half
/// to even), x ≈ Scale·(q − ZeroPoint). The same convention as ONNX QuantizeLinear/DequantizeLinear with a uint8 zero
/// point and PyTorch's quint8, so a QDQ export carries Scale and ZeroPoint over unchanged. Zero is always exactly
/// representable (the range is widened to include it), so zero padding and ReLU's zeros carry no error.
/// <para>
/// <see cref="MaxCode"/> 127 is PyTorch's and FBGEMM's reduce_range: 7-bit codes 0..127 (half the resolution over the
/// same range), which lets the int8 GEMM use AVX2's u8·s8 vpmaddubsw without int16 saturation. It is part of the
/// parameters (a file records it; equality compares it), never implied.
/// </para>
/// </summary>
/// <param name="Scale">Step between codes, &gt; 0.</param>
/// <param name="ZeroPoint">The code of 0.0, in [0, MaxCode].</param>
/// <param name="MaxCode">The largest code: 255 (8-bit) or 127 (7-bit, reduce_range).</param>
public readonly record struct ActivationQuantization(float Scale, int ZeroPoint, int MaxCode = 255)
{
    /// <summary>
    /// Parameters covering [min, max] ∪ {0} with codes 0..<paramref name="maxCode"/>; a degenerate range (all zeros)
    /// gets scale 1.
    /// </summary>
    /// <exception cref="ArgumentException">A bound is NaN or infinite, min &gt; max, or <paramref name="maxCode"/> is neither 127 nor 255.</exception>
    public static ActivationQuantization FromRange(double min, double max, int maxCode = 255)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentException($"activation range must be finite with min ≤ max; got [{min}, {max}].");
        if (maxCode is not (127 or 255))
            throw new ArgumentException($"maxCode must be 255 (8-bit) or 127 (7-bit, reduce_range); got {maxCode}.", nameof(maxCode));
        double lo = Math.Min(min, 0), hi = Math.Max(max, 0);
        double scale = (hi - lo) / maxCode;
        if (!(scale > 0) || (float)scale == 0) return new(1f, lo < 0 ? maxCode : 0, maxCode);
        int zp = (int)Math.Clamp(Math.Round(-lo / scale, MidpointRounding.ToEven), 0, maxCode);
        return new((float)scale, zp, maxCode);
    }

    /// <summary>Why these parameters cannot quantize anything, or null when they can (finite scale &gt; 0, MaxCode 127 or 255, ZeroPoint in [0, MaxCode]).</summary>
    internal string? Problem() =>
        !(Scale > 0) || !float.IsFinite(Scale) ? $"scale must be finite and > 0; got {this}"
        : MaxCode is not (127 or 255) ? $"max code must be 127 or 255; got {this}"
        : ZeroPoint < 0 || ZeroPoint > MaxCode ? $"zero point must lie in [0, {MaxCode}]; got {this}"
        : null;

    /// <summary>x for code <paramref name="q"/>: Scale·(q − ZeroPoint), in double.</summary>
    public double Dequantize(int q) => (double)Scale * (q - ZeroPoint);

    /// <summary>The code of <paramref name="x"/> computed in double (the reference the kernels match for float inputs).</summary>
    public byte Quantize(double x) =>
        double.IsNaN(x) ? (byte)MaxCode : (byte)Math.Clamp(Math.Round(x / Scale, MidpointRounding.ToEven) + ZeroPoint, 0, MaxCode);

    /// <summary>"scale=0.0123, zero_point=0" (plus ", max_code=127" for 7-bit codes).</summary>
    public override string ToString() =>
        $"scale={Scale.ToString("R", CultureInfo.InvariantCulture)}, zero_point={ZeroPoint.ToString(CultureInfo.InvariantCulture)}" +
        (MaxCode == 255 ? "" : $", max_code={MaxCode.ToString(CultureInfo.InvariantCulture)}");
}
