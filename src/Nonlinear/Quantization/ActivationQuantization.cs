using System.Globalization;

namespace Nonlinear.Quantization;

/// <summary>
/// Per-tensor asymmetric uint8 quantization of activations: q = clamp(round(x / Scale) + ZeroPoint, 0, 255) (round half
/// to even), x ≈ Scale·(q − ZeroPoint). The same convention as ONNX QuantizeLinear/DequantizeLinear with a uint8 zero
/// point and PyTorch's quint8, so a QDQ export carries Scale and ZeroPoint over unchanged. Zero is always exactly
/// representable (the range is widened to include it), so zero padding and ReLU's zeros carry no error.
/// </summary>
/// <param name="Scale">Step between codes, &gt; 0.</param>
/// <param name="ZeroPoint">The code of 0.0, in [0, 255].</param>
public readonly record struct ActivationQuantization(float Scale, int ZeroPoint)
{
    /// <summary>Parameters covering [min, max] ∪ {0} with 256 codes; a degenerate range (all zeros) gets scale 1.</summary>
    /// <exception cref="ArgumentException">A bound is NaN or infinite, or min &gt; max.</exception>
    public static ActivationQuantization FromRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentException($"activation range must be finite with min ≤ max; got [{min}, {max}].");
        double lo = Math.Min(min, 0), hi = Math.Max(max, 0);
        double scale = (hi - lo) / 255;
        if (!(scale > 0) || (float)scale == 0) return new(1f, lo < 0 ? 255 : 0);
        int zp = (int)Math.Clamp(Math.Round(-lo / scale, MidpointRounding.ToEven), 0, 255);
        return new((float)scale, zp);
    }

    /// <summary>x for code <paramref name="q"/>: Scale·(q − ZeroPoint), in double.</summary>
    public double Dequantize(int q) => (double)Scale * (q - ZeroPoint);

    /// <summary>The code of <paramref name="x"/> computed in double (the reference the kernels match for float inputs).</summary>
    public byte Quantize(double x) =>
        double.IsNaN(x) ? (byte)255 : (byte)Math.Clamp(Math.Round(x / Scale, MidpointRounding.ToEven) + ZeroPoint, 0, 255);

    /// <summary>"scale=0.0123, zero_point=0".</summary>
    public override string ToString() =>
        $"scale={Scale.ToString("R", CultureInfo.InvariantCulture)}, zero_point={ZeroPoint.ToString(CultureInfo.InvariantCulture)}";
}
