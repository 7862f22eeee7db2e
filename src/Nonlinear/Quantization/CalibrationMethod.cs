namespace Nonlinear.Quantization;

/// <summary>
/// How post-training quantization picks an activation's clipping range [min, max] from the values it took on the
/// calibration set. One file per method plus one line in <see cref="CalibrationMethods"/> registers a new one.
/// </summary>
public abstract class CalibrationMethod
{
    /// <summary>Name used by `quantize --method`, e.g. "minmax".</summary>
    public abstract string Name { get; }

    /// <summary>One line for `--help`.</summary>
    public abstract string Description { get; }

    /// <summary>The clipping range for <paramref name="histogram"/>; values outside it saturate.</summary>
    public abstract (double Min, double Max) Range(CalibrationHistogram histogram);

    /// <summary>
    /// Quantization parameters for <paramref name="histogram"/>: <see cref="Range"/>, widened to include 0, over codes
    /// 0..<paramref name="maxCode"/> (255, or 127 for reduce_range). The range is chosen for 8-bit codes either way.
    /// </summary>
    public ActivationQuantization Parameters(CalibrationHistogram histogram, int maxCode = 255)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var (lo, hi) = Range(histogram);
        return ActivationQuantization.FromRange(lo, hi, maxCode);
    }

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
