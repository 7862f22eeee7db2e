using Nonlinear.Interpret.Capture;

namespace Nonlinear.Interpret.Similarity;

/// <summary>
/// Matches the units of two representations of the same inputs by the Pearson correlation of their activations
/// (Li, Yosinski et al. 2016, "Convergent learning", arXiv:1511.07543): <see cref="Best"/> gives every unit of A its
/// best-correlated unit of B (a semi-matching; several A units may pick one B unit), <see cref="OneToOne"/> the
/// assignment maximising the summed correlation (Hungarian algorithm). A constant unit's correlation is undefined; it
/// is reported as NaN and treated as 0 by the matchings.
/// </summary>
public sealed class UnitMatching
{
    private readonly double[] _corr;

    private UnitMatching(int a, int b, double[] corr)
    {
        UnitsA = a;
        UnitsB = b;
        _corr = corr;
    }

    /// <summary>Units of A.</summary>
    public int UnitsA { get; }
    /// <summary>Units of B.</summary>
    public int UnitsB { get; }

    /// <summary>The correlation of unit <paramref name="i"/> of A with unit <paramref name="j"/> of B.</summary>
    public double Correlation(int i, int j) => _corr[(long)i * UnitsB + j];

    /// <summary>Correlations of every unit pair (double, two-pass: means, then centred sums).</summary>
    public static UnitMatching Correlate(ActivationMatrix a, ActivationMatrix b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rows != b.Rows) throw new ArgumentException($"{a.Name} has {a.Rows} rows and {b.Name} {b.Rows}; matching compares the same inputs.", nameof(b));
        var (ca, sa) = Standardized(a);
        var (cb, sb) = Standardized(b);
        int p = a.Units, q = b.Units, n = a.Rows;
        var corr = new double[(long)p * q];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < p; i++)
            {
                double v = ca[(long)r * p + i];
                if (v == 0) continue;
                for (int j = 0; j < q; j++) corr[(long)i * q + j] += v * cb[(long)r * q + j];
            }
        for (int i = 0; i < p; i++)
            for (int j = 0; j < q; j++)
                corr[(long)i * q + j] = sa[i] > 0 && sb[j] > 0 ? corr[(long)i * q + j] / (sa[i] * sb[j]) : double.NaN;
        return new UnitMatching(p, q, corr);
    }

    // Centred columns and their norms ‖x − x̄‖.
    private static (double[] Centered, double[] Norm) Standardized(ActivationMatrix m)
    {
        int p = m.Units, n = m.Rows;
        var mean = new double[p];
        for (int r = 0; r < n; r++) { var row = m.Row(r); for (int u = 0; u < p; u++) mean[u] += row[u]; }
        for (int u = 0; u < p; u++) mean[u] /= Math.Max(1, n);
        var c = new double[(long)n * p];
        var ss = new double[p];
        for (int r = 0; r < n; r++)
        {
            var row = m.Row(r);
            for (int u = 0; u < p; u++) { double d = row[u] - mean[u]; c[(long)r * p + u] = d; ss[u] += d * d; }
        }
        return (c, ss.Select(Math.Sqrt).ToArray());
    }

    private double Weight(int i, int j) => Correlation(i, j) is var c && double.IsNaN(c) ? 0 : c;

    /// <summary>For every unit of A, the unit of B it correlates with most (ties: the smaller index) and that correlation.</summary>
    public (int Unit, double Correlation)[] Best()
    {
        var best = new (int, double)[UnitsA];
        for (int i = 0; i < UnitsA; i++)
        {
            int arg = 0;
            for (int j = 1; j < UnitsB; j++) if (Weight(i, j) > Weight(i, arg)) arg = j;
            best[i] = UnitsB == 0 ? (-1, double.NaN) : (arg, Correlation(i, arg));
        }
        return best;
    }

    /// <summary>
    /// A one-to-one assignment of min(UnitsA, UnitsB) pairs maximising the summed correlation: entry i is the B unit of
    /// A unit i, or −1 when A has more units than B and i is left unmatched.
    /// </summary>
    public int[] OneToOne()
    {
        // Hungarian algorithm (Kuhn–Munkres with potentials, O(n²m)) minimising −correlation; rows must not outnumber columns.
        bool flip = UnitsA > UnitsB;
        int n = flip ? UnitsB : UnitsA, m = flip ? UnitsA : UnitsB;
        double Cost(int r, int c) => -(flip ? Weight(c, r) : Weight(r, c));
        var u = new double[n + 1]; var v = new double[m + 1];
        var match = new int[m + 1]; var way = new int[m + 1];
        for (int i = 1; i <= n; i++)
        {
            match[0] = i;
            int j0 = 0;
            var minv = Enumerable.Repeat(double.PositiveInfinity, m + 1).ToArray();
            var used = new bool[m + 1];
            do
            {
                used[j0] = true;
                int i0 = match[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    double cur = Cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (int j = 0; j <= m; j++)
                    if (used[j]) { u[match[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                j0 = j1;
            } while (match[j0] != 0);
            do { int j1 = way[j0]; match[j0] = match[j1]; j0 = j1; } while (j0 != 0);
        }
        var result = Enumerable.Repeat(-1, UnitsA).ToArray();
        for (int j = 1; j <= m; j++)
        {
            if (match[j] == 0) continue;
            if (flip) result[j - 1] = match[j] - 1;
            else result[match[j] - 1] = j - 1;
        }
        return result;
    }
}
