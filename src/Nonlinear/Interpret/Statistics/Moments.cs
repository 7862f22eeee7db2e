namespace Nonlinear.Interpret.Statistics;

/// <summary>
/// Count, mean and central sums M2 = Σ(x−μ)², M3, M4 of a set of values, in double, combined exactly (up to rounding)
/// by Chan et al.'s pairwise rule extended to the third and fourth moments by Pébay (2008, SAND2008-6212, eq. 3.1):
/// a part is first reduced two-pass on its own, then merged, so one pass over the data in any chunking gives the
/// two-pass result.
/// </summary>
public readonly record struct Moments(long Count, double Mean, double M2, double M3, double M4)
{
    /// <summary>Population variance M2/n (numpy's var with ddof=0); NaN when empty.</summary>
    public double Variance => Count == 0 ? double.NaN : M2 / Count;

    /// <summary>Sample variance M2/(n−1) (torch.var's default); NaN below two values.</summary>
    public double SampleVariance => Count < 2 ? double.NaN : M2 / (Count - 1);

    /// <summary>Excess kurtosis n·M4/M2² − 3 (scipy.stats.kurtosis with fisher=True, bias=True); NaN for a constant or empty set.</summary>
    public double Kurtosis => Count == 0 || M2 == 0 ? double.NaN : Count * M4 / (M2 * M2) - 3;

    /// <summary>Skewness √n·M3/M2^1.5 (scipy.stats.skew, bias=True); NaN for a constant or empty set.</summary>
    public double Skewness => Count == 0 || M2 == 0 ? double.NaN : Math.Sqrt(Count) * M3 / Math.Pow(M2, 1.5);

    /// <summary>The moments of both sets together.</summary>
    public static Moments Merge(in Moments a, in Moments b)
    {
        if (a.Count == 0) return b;
        if (b.Count == 0) return a;
        double na = a.Count, nb = b.Count, n = na + nb;
        double d = b.Mean - a.Mean, d2 = d * d;
        double mean = a.Mean + d * nb / n;
        double m2 = a.M2 + b.M2 + d2 * na * nb / n;
        double m3 = a.M3 + b.M3 + d2 * d * na * nb * (na - nb) / (n * n) + 3 * d * (na * b.M2 - nb * a.M2) / n;
        double m4 = a.M4 + b.M4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
                    + 6 * d2 * (na * na * b.M2 + nb * nb * a.M2) / (n * n) + 4 * d * (na * b.M3 - nb * a.M3) / n;
        return new Moments(a.Count + b.Count, mean, m2, m3, m4);
    }
}
