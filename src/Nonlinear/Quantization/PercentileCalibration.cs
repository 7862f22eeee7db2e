namespace Nonlinear.Quantization;

/// <summary>
/// Clips at the <see cref="Percentile"/>-th and (100 − <see cref="Percentile"/>)-th percentiles, discarding that share of
/// outliers on each side (NVIDIA pytorch-quantization's "percentile" calibrator; 99.99 is its common setting).
/// </summary>
public sealed class PercentileCalibration : CalibrationMethod
{
    /// <summary>Creates the method; <paramref name="percentile"/> in (50, 100].</summary>
    public PercentileCalibration(double percentile = 99.99)
    {
        if (!(percentile > 50 && percentile <= 100))
            throw new InvalidInputException($"percentile must be in (50, 100]; got {percentile}.", nameof(percentile));
        Percentile = percentile;
    }

    /// <summary>Upper percentile kept, e.g. 99.99.</summary>
    public double Percentile { get; }
    /// <inheritdoc/>
    public override string Name => "percentile";
    /// <inheritdoc/>
    public override string Description => $"clip at the {Percentile}th percentiles (both tails)";
    /// <inheritdoc/>
    public override (double Min, double Max) Range(CalibrationHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        double p = Percentile / 100;
        return (histogram.Quantile(1 - p), histogram.Quantile(p));
    }
}
