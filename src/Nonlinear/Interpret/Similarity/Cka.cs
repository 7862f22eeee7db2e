using Nonlinear.Interpret.Capture;

namespace Nonlinear.Interpret.Similarity;

/// <summary>
/// Centered kernel alignment with a linear kernel between two representations of the same inputs (rows), in double:
/// <see cref="Linear"/> is Kornblith et al. 2019 (arXiv:1905.00414) ‖YᵀX‖²_F / (‖XᵀX‖_F·‖YᵀY‖_F) on column-centred X, Y;
/// <see cref="Debiased"/> replaces each HSIC by Song et al.'s unbiased estimator (JMLR 2012), as Nguyen, Raghu and
/// Kornblith 2021 (arXiv:2010.15327) do, which removes the bias towards 1 when units outnumber inputs. Both are computed in
/// feature space (O(n·p·q)), never forming the n × n Gram matrices. <see cref="Rbf"/> is Kornblith et al.'s RBF-kernel
/// CKA, which needs the n × n Gram matrices (O(n²) memory). Golden values: tools/golden/cka_numpy.py.
/// </summary>
public static class Cka
{
    /// <summary>Linear CKA of two matrices with equal rows; in [0, 1], 1 for representations equal up to rotation and scale.</summary>
    public static double Linear(ActivationMatrix x, ActivationMatrix y) => Compute(x, y, debiased: false);

    /// <summary>Debiased linear CKA (needs ≥ 4 rows); can be slightly negative for unrelated representations.</summary>
    public static double Debiased(ActivationMatrix x, ActivationMatrix y) => Compute(x, y, debiased: true);

    private static double Compute(ActivationMatrix x, ActivationMatrix y, bool debiased)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rows != y.Rows) throw new ArgumentException($"{x.Name} has {x.Rows} rows and {y.Name} {y.Rows}; CKA compares the same inputs.", nameof(y));
        if (debiased && x.Rows < 4) throw new InvalidInputException($"debiased CKA needs at least 4 rows; got {x.Rows}.", nameof(x));
        var a = Centered(x);
        var b = Centered(y);
        int n = x.Rows;
        double xy = Hsic(a, x.Units, b, y.Units, n, debiased);
        double xx = Hsic(a, x.Units, a, x.Units, n, debiased);
        double yy = Hsic(b, y.Units, b, y.Units, n, debiased);
        return xy / Math.Sqrt(xx * yy);
    }

    private static double[] Centered(ActivationMatrix m)
    {
        var mean = new double[m.Units];
        for (int r = 0; r < m.Rows; r++) { var row = m.Row(r); for (int u = 0; u < m.Units; u++) mean[u] += row[u]; }
        for (int u = 0; u < m.Units; u++) mean[u] /= Math.Max(1, m.Rows);
        var c = new double[(long)m.Rows * m.Units];
        for (int r = 0; r < m.Rows; r++) { var row = m.Row(r); for (int u = 0; u < m.Units; u++) c[(long)r * m.Units + u] = row[u] - mean[u]; }
        return c;
    }

    // tr(KL) with K = AAᵀ, L = BBᵀ is ‖AᵀB‖²_F; the unbiased estimator also needs diag(K), diag(L), K1 and L1.
    private static double Hsic(double[] a, int p, double[] b, int q, int n, bool debiased)
    {
        var cross = new double[(long)p * q];
        for (int r = 0; r < n; r++)
        {
            var ar = a.AsSpan(r * p, p);
            var br = b.AsSpan(r * q, q);
            for (int i = 0; i < p; i++)
            {
                double v = ar[i];
                if (v == 0) continue;
                var dst = cross.AsSpan(i * q, q);
                for (int j = 0; j < q; j++) dst[j] += v * br[j];
            }
        }
        double trKL = 0;
        foreach (double v in cross) trKL += v * v;
        if (!debiased) return trKL;
        var (dk, k1) = DiagAndRowSums(a, p, n);
        var (dl, l1) = DiagAndRowSums(b, q, n);
        double diagProduct = 0, sumK = 0, sumL = 0, kl1 = 0;
        for (int i = 0; i < n; i++)
        {
            diagProduct += dk[i] * dl[i];
            // Row sums of K̃ = K − diag(K).
            double ki = k1[i] - dk[i], li = l1[i] - dl[i];
            sumK += ki;
            sumL += li;
            kl1 += ki * li;
        }
        double trTilde = trKL - diagProduct;
        return (trTilde + sumK * sumL / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * kl1) / (n * (n - 3.0));
    }

    private static (double[] Diag, double[] RowSums) DiagAndRowSums(double[] a, int p, int n)
    {
        var total = new double[p];
        for (int r = 0; r < n; r++) for (int i = 0; i < p; i++) total[i] += a[(long)r * p + i];
        var diag = new double[n];
        var rows = new double[n];
        for (int r = 0; r < n; r++)
        {
            double d = 0, s = 0;
            for (int i = 0; i < p; i++) { double v = a[(long)r * p + i]; d += v * v; s += v * total[i]; }
            diag[r] = d;
            rows[r] = s;
        }
        return (diag, rows);
    }

    /// <summary>Rows above which <see cref="Rbf"/> refuses (three n × n double matrices: 1.5 GB at this size).</summary>
    public const int MaxRbfRows = 8192;

    /// <summary>
    /// CKA with the RBF kernel k(a, b) = exp(−‖a − b‖² / (2σ²)), σ² = threshold² · the median squared distance over all
    /// n² pairs (diagonal included), as in Kornblith et al. 2019's reference code (<c>gram_rbf</c>); the Gram matrices are
    /// centred with H·K·H or, when <paramref name="debiased"/>, U-centred (the unbiased HSIC of Song et al. 2012).
    /// In [0, 1] unless debiased; a smaller threshold makes the kernel more local.
    /// </summary>
    /// <exception cref="InvalidInputException">The threshold is not positive and finite, there are too few or too many rows, or more than half of the pairs coincide (median distance 0: no bandwidth).</exception>
    public static double Rbf(ActivationMatrix x, ActivationMatrix y, double threshold = 1.0, bool debiased = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rows != y.Rows) throw new ArgumentException($"{x.Name} has {x.Rows} rows and {y.Name} {y.Rows}; CKA compares the same inputs.", nameof(y));
        if (!(threshold > 0) || double.IsInfinity(threshold)) throw new InvalidInputException($"the RBF threshold must be positive and finite; got {threshold}.", nameof(threshold));
        int n = x.Rows;
        if (n < (debiased ? 4 : 2) || n > MaxRbfRows)
            throw new InvalidInputException($"RBF CKA needs between {(debiased ? 4 : 2)} and {MaxRbfRows} rows; got {n}.", nameof(x));
        var kx = RbfGram(x, threshold);
        var ky = RbfGram(y, threshold);
        Center(kx, n, debiased);
        Center(ky, n, debiased);
        double xy = 0, xx = 0, yy = 0;
        for (long i = 0; i < (long)n * n; i++) { xy += kx[i] * ky[i]; xx += kx[i] * kx[i]; yy += ky[i] * ky[i]; }
        return xy / Math.Sqrt(xx * yy);
    }

    private static double[] RbfGram(ActivationMatrix m, double threshold)
    {
        int n = m.Rows, p = m.Units;
        var d2 = new double[(long)n * n];
        var upper = new double[(long)n * (n - 1) / 2];
        long u = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double s = 0;
                for (int c = 0; c < p; c++) { double e = (double)m.Values[(long)i * p + c] - m.Values[(long)j * p + c]; s += e * e; }
                d2[(long)i * n + j] = d2[(long)j * n + i] = upper[u++] = s;
            }
        double median = MedianOfSymmetric(upper, n);
        if (!(median > 0)) throw new InvalidInputException($"{m.Name}: more than half of the pairs of rows coincide, so the RBF bandwidth (median distance) is 0.", nameof(m));
        double scale = -1 / (2 * threshold * threshold * median);
        for (long i = 0; i < d2.Length; i++) d2[i] = Math.Exp(d2[i] * scale);
        return d2;
    }

    // numpy.median over all n² entries of the symmetric distance matrix: its sorted entries are the n zeros of the
    // diagonal followed by every off-diagonal distance twice, so only the upper triangle needs sorting.
    private static double MedianOfSymmetric(double[] upper, int n)
    {
        Array.Sort(upper);
        long total = (long)n * n;
        double At(long k) => k < n ? 0 : upper[(k - n) / 2];
        return total % 2 == 1 ? At(total / 2) : (At(total / 2 - 1) + At(total / 2)) / 2;
    }

    // H·K·H, or U-centring (zero diagonal, row/column means over n − 2 with the grand-mean correction) for the unbiased HSIC.
    private static void Center(double[] k, int n, bool unbiased)
    {
        if (unbiased) for (int i = 0; i < n; i++) k[(long)i * n + i] = 0;
        var means = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) means[j] += k[(long)i * n + j];
        double total = 0;
        for (int j = 0; j < n; j++) { means[j] /= unbiased ? n - 2.0 : n; total += means[j]; }
        double correction = unbiased ? total / (2.0 * (n - 1)) : total / n / 2;
        for (int j = 0; j < n; j++) means[j] -= correction;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) k[(long)i * n + j] -= means[i] + means[j];
        if (unbiased) for (int i = 0; i < n; i++) k[(long)i * n + i] = 0;
    }
}
