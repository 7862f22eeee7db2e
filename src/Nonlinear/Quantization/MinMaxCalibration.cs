namespace Nonlinear.Quantization;

/// <summary>The full observed range [min, max]: nothing clips, so one outlier widens the step for every value (torch MinMaxObserver).</summary>
public sealed class MinMaxCalibration : CalibrationMethod
{
    /// <inheritdoc/>
    public override string Name => "minmax";
    /// <inheritdoc/>
    public override string Description => "the observed minimum and maximum (no clipping)";
    /// <inheritdoc/>
    public override (double Min, double Max) Range(CalibrationHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return (histogram.Min, histogram.Max);
    }
}
