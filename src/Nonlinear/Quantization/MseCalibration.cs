namespace Nonlinear.Quantization;

/// <summary>
/// The range whose quantize-dequantize round trip has the least expected squared error over the histogram (clipping
/// error traded against rounding error). Searched greedily as torch's HistogramObserver does: starting from the full
/// range, each step moves whichever end (by 1/128 of the range) lowers the error more, to the end, keeping the best.
/// </summary>
public sealed class MseCalibration : CalibrationMethod
{
    private const int Steps = 128;

    /// <inheritdoc/>
    public override string Name => "mse";
    /// <inheritdoc/>
    public override string Description => "the clipping range with the least quantization mean squared error";
    /// <inheritdoc/>
    public override (double Min, double Max) Range(CalibrationHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        double step = (histogram.Max - histogram.Min) / Steps;
        if (step <= 0) return (histogram.Min, histogram.Max);
        double lo = histogram.Min, hi = histogram.Max;
        double Error(double a, double b) => histogram.QuantizationError(ActivationQuantization.FromRange(a, b));
        var best = (lo, hi, err: Error(lo, hi));
        // A range that no longer contains any mass on one side of 0 would be widened back to 0 anyway: stop there.
        for (int s = 0; s < Steps - 1; s++)
        {
            double eLo = lo + step < hi && lo + step <= 0 ? Error(lo + step, hi) : double.PositiveInfinity;
            double eHi = hi - step > lo && hi - step >= 0 ? Error(lo, hi - step) : double.PositiveInfinity;
            if (double.IsPositiveInfinity(eLo) && double.IsPositiveInfinity(eHi)) break;
            if (eLo <= eHi) lo += step; else hi -= step;
            double e = Math.Min(eLo, eHi);
            if (e < best.err) best = (lo, hi, e);
        }
        return (best.lo, best.hi);
    }
}
