namespace Nonlinear.Quantization;

/// <summary>
/// TensorRT's entropy calibration (Migacz, "8-bit Inference with TensorRT", GTC 2017): the threshold T minimising the
/// KL divergence between the histogram of |x| clipped at T (outliers folded into the last bin) and the same histogram
/// merged into as many levels as the codes available (the bin at 0 left out: see Range) — 256 for non-negative data (uint8 after ReLU), 128 per side for
/// signed data, whose range is then [−T, T] intersected with the observed [min, max].
/// </summary>
public sealed class EntropyCalibration : CalibrationMethod
{
    /// <inheritdoc/>
    public override string Name => "entropy";
    /// <inheritdoc/>
    public override string Description => "the threshold minimising the KL divergence (TensorRT's entropy calibrator)";

    /// <inheritdoc/>
    public override (double Min, double Max) Range(CalibrationHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        bool signed = histogram.Min < 0;
        double absMax = Math.Max(Math.Abs(histogram.Min), Math.Abs(histogram.Max));
        if (absMax == 0) return (0, 0);
        // Re-bin |x| over [0, absMax] from the bin centres.
        int bins = histogram.Bins;
        var h = new double[bins];
        for (int i = 0; i < bins; i++)
        {
            double centre = Math.Abs(histogram.Min + (i + 0.5) * histogram.BinWidth);
            h[Math.Min(bins - 1, (int)(centre / absMax * bins))] += histogram.Counts[i];
        }
        // Zero is exactly representable (every range includes it), so the spike of exact zeros after ReLU carries no
        // quantization error; left in, it dominates P and drives the threshold down to ~2σ of the non-zero part,
        // clipping real signal. The first bin of |x| is therefore left out of the divergence.
        h[0] = 0;
        int levels = signed ? 128 : 256;
        if (bins <= levels) return (histogram.Min, histogram.Max);
        int bestI = bins;
        double bestKl = double.PositiveInfinity;
        for (int i = levels; i <= bins; i++)
        {
            double kl = Divergence(h, i, levels);
            if (kl < bestKl) (bestKl, bestI) = (kl, i);
        }
        double t = (double)bestI / bins * absMax;
        return signed ? (Math.Max(histogram.Min, -t), Math.Min(histogram.Max, t)) : (histogram.Min, Math.Min(histogram.Max, t));
    }

    // KL(P ‖ Q) for the first i bins: P has the outliers folded into bin i−1; Q spreads each of `levels` merged groups
    // evenly over the group's non-empty bins. Zero bins of Q where P has mass get a small ε (as TensorRT/MXNet smooth).
    internal static double Divergence(double[] h, int i, int levels)
    {
        var p = new double[i];
        Array.Copy(h, p, i);
        for (int j = i; j < h.Length; j++) p[i - 1] += h[j];
        var q = new double[i];
        double per = (double)i / levels;
        for (int g = 0; g < levels; g++)
        {
            int a = (int)Math.Round(g * per), b = g == levels - 1 ? i : (int)Math.Round((g + 1) * per);
            double sum = 0; int nonzero = 0;
            for (int j = a; j < b; j++) { sum += h[j]; if (h[j] > 0) nonzero++; }
            if (nonzero > 0) for (int j = a; j < b; j++) if (h[j] > 0) q[j] = sum / nonzero;
        }
        double pSum = p.Sum(), qSum = q.Sum();
        if (pSum == 0) return 0;
        if (qSum == 0) return double.PositiveInfinity;
        const double eps = 1e-10;
        double kl = 0;
        for (int j = 0; j < i; j++)
        {
            if (p[j] == 0) continue;
            double pj = p[j] / pSum, qj = Math.Max(q[j] / qSum, eps);
            kl += pj * Math.Log(pj / qj);
        }
        return kl;
    }
}
