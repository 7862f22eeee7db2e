using Nonlinear.Interpret.Capture;

namespace Nonlinear.Interpret.Statistics;

/// <summary>
/// Streaming per-unit and per-layer statistics of one layer's activations: feed it parts of the data (captured batches
/// or shards) in any order and chunking with <see cref="Add"/>, or combine accumulators filled in parallel with
/// <see cref="Merge"/>; the results equal a two-pass double computation over all rows (Chan/Pébay merges, see
/// <see cref="Moments"/>). Also tracks the largest |a| with its unit and row (the massive-activation candidate; the
/// ratio to the median needs all values, see <see cref="MassiveActivations"/>).
/// </summary>
public sealed class ActivationStatistics
{
    private readonly UnitStatistics[] _units;

    /// <summary>An empty accumulator for <paramref name="units"/> units.</summary>
    public ActivationStatistics(int units, StatisticsOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        Options = options ?? new StatisticsOptions();
        Options.Validate();
        _units = Enumerable.Repeat(UnitStatistics.Empty, units).ToArray();
    }

    /// <summary>The settings.</summary>
    public StatisticsOptions Options { get; }

    /// <summary>Units per row.</summary>
    public int Units => _units.Length;

    /// <summary>Rows seen (NaN or not).</summary>
    public long Rows { get; private set; }

    /// <summary>The largest |a| seen (NaN ignored), 0 before any value.</summary>
    public double MaxAbs { get; private set; }

    /// <summary>The unit of <see cref="MaxAbs"/> (−1 before any value).</summary>
    public int MaxAbsUnit { get; private set; } = -1;

    /// <summary>The global row of <see cref="MaxAbs"/>: the first row where it occurs (−1 before any value).</summary>
    public long MaxAbsRow { get; private set; } = -1;

    /// <summary>Unit <paramref name="u"/>'s statistics.</summary>
    public UnitStatistics Unit(int u) => _units[u];

    /// <summary>All values of the layer as one set (every unit's statistics merged).</summary>
    public UnitStatistics Layer => _units.Aggregate(UnitStatistics.Empty, (a, b) => UnitStatistics.Merge(a, b));

    /// <summary>Units never active over the set.</summary>
    public int DeadCount => _units.Count(u => u.IsDead);

    /// <summary>Dead units as a fraction of all units (NaN for a layer without units).</summary>
    public double DeadFraction => Units == 0 ? double.NaN : (double)DeadCount / Units;

    /// <summary>Adds the rows of <paramref name="part"/>, whose first row is row <paramref name="firstRow"/> of the whole set.</summary>
    /// <exception cref="ArgumentException">The part has another number of units.</exception>
    public void Add(ActivationMatrix part, long firstRow)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Units != Units) throw new ArgumentException($"{part.Name} has {part.Units} units; this accumulator has {Units}.", nameof(part));
        var other = new ActivationStatistics(Units, Options);
        other.Reduce(part.Values, part.Rows, firstRow);
        Merge(other);
    }

    /// <summary>Adds everything <paramref name="other"/> has seen (same units and options).</summary>
    public void Merge(ActivationStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Units != Units || other.Options != Options)
            throw new ArgumentException($"cannot merge statistics of {other.Units} units ({other.Options}) into {Units} units ({Options}).", nameof(other));
        for (int u = 0; u < Units; u++) _units[u] = UnitStatistics.Merge(_units[u], other._units[u]);
        Rows += other.Rows;
        // Ties keep the earlier row, so the result does not depend on the merge order.
        if (other.MaxAbsUnit >= 0 && (MaxAbsUnit < 0 || other.MaxAbs > MaxAbs || (other.MaxAbs == MaxAbs && other.MaxAbsRow < MaxAbsRow)))
            (MaxAbs, MaxAbsUnit, MaxAbsRow) = (other.MaxAbs, other.MaxAbsUnit, other.MaxAbsRow);
    }

    // Two passes over one part, row by row for cache order: sums → means, then central sums and counts.
    private void Reduce(float[] values, int rows, long firstRow)
    {
        int units = Units;
        var sum = new double[units];
        var n = new long[units];
        for (int r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * units, units);
            for (int u = 0; u < units; u++)
                if (!float.IsNaN(row[u])) { sum[u] += row[u]; n[u]++; }
        }
        var mean = new double[units];
        for (int u = 0; u < units; u++) mean[u] = n[u] == 0 ? 0 : sum[u] / n[u];
        var m2 = new double[units]; var m3 = new double[units]; var m4 = new double[units];
        var min = Enumerable.Repeat(double.PositiveInfinity, units).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, units).ToArray();
        var zeros = new long[units]; var active = new long[units]; var nans = new long[units]; var lo = new long[units]; var hi = new long[units];
        double tol = Options.SaturationTolerance;
        for (int r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * units, units);
            for (int u = 0; u < units; u++)
            {
                float v = row[u];
                if (float.IsNaN(v)) { nans[u]++; continue; }
                double e = v - mean[u], e2 = e * e;
                m2[u] += e2; m3[u] += e2 * e; m4[u] += e2 * e2;
                if (v < min[u]) min[u] = v;
                if (v > max[u]) max[u] = v;
                if (v == 0) zeros[u]++;
                if (Options.IsActive(v)) active[u]++;
                if (Options.Lower is double l && v - l <= tol) lo[u]++;
                if (Options.Upper is double h && h - v <= tol) hi[u]++;
                double a = Math.Abs((double)v);
                if (a > MaxAbs || MaxAbsUnit < 0) (MaxAbs, MaxAbsUnit, MaxAbsRow) = (a, u, firstRow + r);
            }
        }
        for (int u = 0; u < units; u++)
            _units[u] = new UnitStatistics(new Moments(n[u], mean[u], m2[u], m3[u], m4[u]), min[u], max[u], zeros[u], active[u], nans[u], lo[u], hi[u]);
        Rows = rows;
    }
}
