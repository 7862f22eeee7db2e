namespace Nonlinear.Quantization;

/// <summary>
/// The values one tensor took over a calibration set, as a histogram of <see cref="Bins"/> equal bins spanning
/// [<see cref="Min"/>, <see cref="Max"/>] (PyTorch's HistogramObserver and TensorRT's entropy calibrator use 2048).
/// Calibration methods read it to choose a clipping range.
/// </summary>
public sealed class CalibrationHistogram
{
    /// <summary>Number of bins used by <see cref="From"/>.</summary>
    public const int DefaultBins = 2048;

    /// <summary>Smallest value seen.</summary>
    public double Min { get; }
    /// <summary>Largest value seen.</summary>
    public double Max { get; }
    /// <summary>Counts per bin.</summary>
    public IReadOnlyList<long> Counts { get; }
    /// <summary>Number of bins.</summary>
    public int Bins => Counts.Count;
    /// <summary>Width of one bin (0 when every value was equal).</summary>
    public double BinWidth => (Max - Min) / Bins;
    /// <summary>Values counted.</summary>
    public long Total { get; }

    /// <summary>A histogram with given counts over [min, max].</summary>
    /// <exception cref="ArgumentException">No bins, a negative count, or a bad range.</exception>
    public CalibrationHistogram(double min, double max, IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0 || !double.IsFinite(min) || !double.IsFinite(max) || min > max || counts.Any(c => c < 0))
            throw new ArgumentException($"histogram needs ≥ 1 bin, non-negative counts and a finite range min ≤ max; got {counts.Count} bins over [{min}, {max}].");
        (Min, Max, Counts, Total) = (min, max, counts.ToArray(), counts.Sum());
    }

    /// <summary>The histogram of <paramref name="values"/> (non-finite values are refused: a calibration set must be finite).</summary>
    /// <exception cref="ArgumentException">Empty, or a NaN/infinite value.</exception>
    public static CalibrationHistogram From(ReadOnlySpan<float> values, int bins = DefaultBins)
    {
        if (values.IsEmpty) throw new ArgumentException("no calibration values were observed.", nameof(values));
        if (bins < 1) throw new ArgumentException($"bins must be ≥ 1; got {bins}.", nameof(bins));
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) throw new ArgumentException($"calibration value {v} is not finite.", nameof(values));
            if (v < min) min = v;
            if (v > max) max = v;
        }
        var counts = new long[bins];
        double width = ((double)max - min) / bins;
        foreach (float v in values) counts[width > 0 ? Math.Min(bins - 1, (int)((v - min) / width)) : 0]++;
        return new CalibrationHistogram(min, max, counts);
    }

    /// <summary>Lower edge of bin <paramref name="i"/> (i = Bins gives Max).</summary>
    public double Edge(int i) => i >= Bins ? Max : Min + i * BinWidth;

    /// <summary>The value below which a fraction <paramref name="p"/> of the counts lie, interpolated within its bin.</summary>
    public double Quantile(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"quantile must be in [0, 1]; got {p}.", nameof(p));
        double target = p * Total, seen = 0;
        for (int i = 0; i < Bins; i++)
        {
            long c = Counts[i];
            if (c > 0 && seen + c >= target) return Edge(i) + BinWidth * Math.Clamp((target - seen) / c, 0, 1);
            seen += c;
        }
        return Max;
    }

    /// <summary>
    /// Expected squared error of quantize-then-dequantize with <paramref name="q"/>, each bin's values taken at its
    /// centre (clipping error outside the range, rounding error inside).
    /// </summary>
    public double QuantizationError(ActivationQuantization q)
    {
        double err = 0;
        for (int i = 0; i < Bins; i++)
        {
            if (Counts[i] == 0) continue;
            double x = Min + (i + 0.5) * BinWidth, d = x - q.Dequantize(q.Quantize(x));
            err += Counts[i] * d * d;
        }
        return err / Math.Max(Total, 1);
    }
}
