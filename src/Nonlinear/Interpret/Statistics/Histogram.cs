namespace Nonlinear.Interpret.Statistics;

/// <summary>
/// Counts of values per bin, numpy.histogram's convention: bin i holds edges[i] ≤ v &lt; edges[i+1], the last bin also
/// v = edges[^1]; values outside are counted in <see cref="Below"/>/<see cref="Above"/> and NaN in <see cref="NaNs"/>.
/// Fixed bins (<see cref="Fixed"/>) accumulate over parts and merge; quantile bins (<see cref="Quantiles"/>) need all values.
/// </summary>
public sealed class Histogram
{
    private readonly double[] _edges;
    private readonly long[] _counts;

    private Histogram(double[] edges)
    {
        _edges = edges;
        _counts = new long[edges.Length - 1];
    }

    /// <summary>Bin edges, one more than the bins, non-decreasing.</summary>
    public IReadOnlyList<double> Edges => _edges;
    /// <summary>Count per bin.</summary>
    public IReadOnlyList<long> Counts => _counts;
    /// <summary>Values below the first edge.</summary>
    public long Below { get; private set; }
    /// <summary>Values above the last edge.</summary>
    public long Above { get; private set; }
    /// <summary>NaN values.</summary>
    public long NaNs { get; private set; }

    /// <summary><paramref name="bins"/> equal bins on [<paramref name="lo"/>, <paramref name="hi"/>]: edge i = lo + i·(hi−lo)/bins, the last exactly hi.</summary>
    /// <exception cref="InvalidInputException">bins &lt; 1 or &gt; 10⁶, or not lo &lt; hi (both finite).</exception>
    public static Histogram Fixed(double lo, double hi, int bins)
    {
        if (bins < 1 || bins > 1_000_000) throw new InvalidInputException($"histogram bins must be in [1, 1000000]; got {bins}.", nameof(bins));
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(lo < hi)) throw new InvalidInputException($"histogram range must be finite with lo < hi; got [{lo}, {hi}].", nameof(lo));
        var edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) edges[i] = lo + i * (hi - lo) / bins;
        edges[bins] = hi;
        return new Histogram(edges);
    }

    /// <summary>
    /// <paramref name="bins"/> bins holding about equal counts of <paramref name="values"/>: edge i is the i/bins quantile
    /// (numpy.quantile's linear interpolation) of the non-NaN values. Many equal values (ReLU's zeros) give repeated edges
    /// and so empty zero-width bins.
    /// </summary>
    public static Histogram Quantiles(ReadOnlySpan<float> values, int bins)
    {
        if (bins < 1 || bins > 1_000_000) throw new InvalidInputException($"histogram bins must be in [1, 1000000]; got {bins}.", nameof(bins));
        var sorted = SortedFinite(values);
        if (sorted.Length == 0) throw new InvalidInputException("quantile bins need at least one non-NaN value; got none.", nameof(values));
        var edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = Quantile(sorted, (double)i / bins);
        var h = new Histogram(edges);
        h.Add(values);
        return h;
    }

    /// <summary>The q-quantile of sorted values, linear interpolation between order statistics (numpy's default "linear").</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int i = (int)Math.Floor(pos);
        if (i >= sorted.Length - 1) return sorted[^1];
        double frac = pos - i;
        return frac == 0 ? sorted[i] : sorted[i] + frac * (sorted[i + 1] - sorted[i]);
    }

    internal static double[] SortedFinite(ReadOnlySpan<float> values)
    {
        int n = 0;
        foreach (float v in values) if (!float.IsNaN(v)) n++;
        var sorted = new double[n];
        n = 0;
        foreach (float v in values) if (!float.IsNaN(v)) sorted[n++] = v;
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Counts <paramref name="values"/>.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        double lo = _edges[0], hi = _edges[^1];
        int bins = _counts.Length;
        foreach (float f in values)
        {
            double v = f;
            if (double.IsNaN(v)) { NaNs++; continue; }
            if (v < lo) { Below++; continue; }
            if (v > hi) { Above++; continue; }
            // The bin is the one whose edges bracket v; the arithmetic guess is corrected against the edges themselves.
            int i = hi > lo ? (int)Math.Min(bins - 1, Math.Floor((v - lo) / (hi - lo) * bins)) : bins - 1;
            while (i > 0 && v < _edges[i]) i--;
            while (i < bins - 1 && v >= _edges[i + 1]) i++;
            _counts[i]++;
        }
    }

    /// <summary>Adds <paramref name="other"/>'s counts (same edges).</summary>
    public void Merge(Histogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other._edges.AsSpan().SequenceEqual(_edges)) throw new ArgumentException("cannot merge histograms with different edges.", nameof(other));
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Below += other.Below;
        Above += other.Above;
        NaNs += other.NaNs;
    }
}
