using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// BatchTopK SAE (Bussmann, Leask and Nanda 2024, https://arxiv.org/abs/2412.06410): while training, the k·N
/// largest entries of ReLU(pre) over the whole batch are kept (so a sample may use more or fewer than k latents);
/// at inference a single threshold θ replaces the batch rule, f = pre·1[pre &gt; θ], θ the running mean (decay 0.99)
/// of the smallest kept activation per training batch. Saved for SAELens as a JumpReLU with θ on every latent.
/// Gradient at each kept entry: ∂/∂pre = (∂L/∂x̂)·W_dec,iᵀ, AuxK as in <see cref="TopKSae"/>.
/// </summary>
internal sealed class BatchTopKSae : SaeArchitecture
{
    public static readonly BatchTopKSae Instance = new();

    public override string Name => "batchtopk";
    public override string Description => "TopK over the batch, threshold at inference (Bussmann et al. 2024)";
    public override bool UsesK => true;
    internal override IReadOnlyList<string> ExtraParameters { get; } = ["b_enc"];

    internal override void Encode<T>(SaeStep<T> s)
    {
        s.PreActs(s.P.WEnc, null, s.Pre);
        T theta = T.Max(T.CreateTruncating(s.BatchThreshold), T.Zero);
        int n = s.N, m = s.Cfg.DSae;
        s.Codes.ResetDense(n, m, clear: false);
        var f = s.Codes.Dense;
        var pre = s.Pre;
        var bias = s.P["b_enc"];
        var counts = s.EnsureRowCounts();
        // One parallel pass per row: pre += b_enc, f = pre·1[pre > max(θ, 0)], the row's non-zeros.
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            var th = new Vector<T>(theta);
            for (int r = lo; r < hi; r++)
            {
                var pr = pre.AsSpan(r * m, m);
                var fr = f.AsSpan(r * m, m);
                SaeLinalg.Axpy(T.One, bias, pr);
                int i = 0;
                if (Vector.IsHardwareAccelerated && m >= Vector<T>.Count)
                    for (; i <= m - Vector<T>.Count; i += Vector<T>.Count)
                    {
                        var v = new Vector<T>(pr[i..]);
                        Vector.ConditionalSelect(Vector.GreaterThan(v, th), v, Vector<T>.Zero).CopyTo(fr[i..]);
                    }
                for (; i < m; i++) fr[i] = pr[i] > theta ? pr[i] : T.Zero;
                counts[r] = SaeLinalg.CountPositive<T>(fr);
            }
        });
        s.MaybeSparsify(s.Codes, counts);
    }

    internal override void Loss<T>(SaeStep<T> s)
    {
        s.PreActs(s.P.WEnc, null, s.Pre);
        double smallest = BatchSelect(s, (long)s.Cfg.K * s.N);
        if (s.G is not null && smallest > 0)
            s.BatchThreshold = s.BatchThreshold == 0 ? smallest : 0.99 * s.BatchThreshold + 0.01 * smallest;
        s.ReconstructAndLoss();
        TopKSae.AuxK(s);
        if (s.G is null) return;
        s.CodeGrad(s.Codes, s.DXHat, s.DPre);
        s.EncoderGrad(s.DPre, s.P.WEnc, s.G.WEnc, s.G["b_enc"]);
    }

    /// <summary>
    /// Keeps the <paramref name="keep"/> largest positive entries of <c>s.Pre</c> (ties: row-major order) as CSR
    /// codes and returns the smallest kept value (0 if none). Candidates above a sampled lower bound are gathered
    /// first, so the quickselect runs on about 1.5·keep values instead of N·d_sae. Every pass over the [N, d_sae]
    /// matrix runs in parallel over rows: each counts per row first, so the rows' output offsets are known and the
    /// rows then fill their own slices (the same entries, in the same order, as a serial scan).
    /// </summary>
    private static double BatchSelect<T>(SaeStep<T> s, long keep) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = s.N, m = s.Cfg.DSae;
        long total = (long)n * m;
        var pre = s.Pre;
        T cut = T.Zero;   // keep entries > cut; entries == tau are taken in row-major order up to the count
        long ties = 0;
        T tau = T.Zero;
        var bias = s.P["b_enc"];
        var above = new int[n];
        var equal = new int[n];
        // pre += b_enc fused into the first count.
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
            {
                var pr = pre.AsSpan(r * m, m);
                SaeLinalg.Axpy(T.One, bias, pr);
                above[r] = SaeLinalg.CountPositive<T>(pr);
            }
        });
        long positives = Sum(above);
        if (positives > keep)
        {
            T bound = SampledBound(pre, total, keep);
            CountRows(pre, n, m, bound, above, equal);
            long cand = Sum(above) + Sum(equal);
            if (cand < keep) { bound = T.Zero; CountRows(pre, n, m, T.Zero, above, equal); cand = Sum(above); }
            var values = new T[cand];
            var start = RowStarts(above, equal, long.MaxValue, out _);
            SaeLinalg.ParallelRanges(n, (lo, hi) =>
            {
                for (int r = lo; r < hi; r++)
                {
                    long c = start[r];
                    foreach (var v in pre.AsSpan(r * m, m))
                        if (v > T.Zero && v >= bound) values[c++] = v;
                }
            });
            tau = SaeSelect.NthLargest<T>(values, (int)(keep - 1));
            cut = tau;
            CountRows(pre, n, m, tau, above, equal);
            ties = keep - Sum(above);
        }
        else CountRows(pre, n, m, T.Zero, above, equal);
        var codes = s.Codes;
        var rowStart = RowStarts(above, equal, ties, out var tiesInRow);
        codes.ResetSparse(n, m, (int)rowStart[n]);
        var smallest = new double[n];
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
            {
                int e = (int)rowStart[r], t = tiesInRow[r];
                double least = double.PositiveInfinity;
                var row = pre.AsSpan(r * m, m);
                for (int i = 0; i < m; i++)
                {
                    T v = row[i];
                    bool take = v > cut && v > T.Zero;
                    if (!take && v == tau && v > T.Zero && t > 0) { take = true; t--; }
                    if (!take) continue;
                    codes.Col[e] = i;
                    codes.Val[e++] = v;
                    least = Math.Min(least, double.CreateTruncating(v));
                }
                smallest[r] = least;
            }
        });
        for (int r = 0; r < n; r++) codes.RowStart[r + 1] = (int)rowStart[r + 1];
        return rowStart[n] == 0 ? 0 : smallest.Min();
    }

    private static long Sum(int[] counts)
    {
        long sum = 0;
        foreach (var c in counts) sum += c;
        return sum;
    }

    // Per row: entries with v > max(bound, 0) into above, positive entries equal to bound into equal.
    private static void CountRows<T>(T[] pre, int n, int m, T bound, int[] above, int[] equal) where T : unmanaged, IFloatingPointIeee754<T>
    {
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
            {
                int a = 0, eq = 0;
                foreach (var v in pre.AsSpan(r * m, m))
                {
                    if (!(v > T.Zero)) continue;
                    if (v > bound) a++;
                    else if (v == bound) eq++;
                }
                above[r] = a;
                equal[r] = eq;
            }
        });
    }

    // Offsets of each row's output: its entries above the cut plus the ties it takes (the first rows take them, up to ties).
    private static long[] RowStarts(int[] above, int[] equal, long ties, out int[] tiesInRow)
    {
        int n = above.Length;
        var start = new long[n + 1];
        tiesInRow = new int[n];
        for (int r = 0; r < n; r++)
        {
            int t = (int)Math.Min(ties, equal[r]);
            ties -= t;
            tiesInRow[r] = t;
            start[r + 1] = start[r] + above[r] + t;
        }
        return start;
    }

    // A value below the keep-th largest with high probability: the sample's value at 1.5× the target rank plus a margin.
    private static T SampledBound<T>(T[] pre, long total, long keep) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int samples = (int)Math.Min(total, 65536);
        var sample = new T[samples];
        int c = 0;
        for (int i = 0; i < samples; i++)
        {
            T v = pre[total * i / samples];
            if (v > T.Zero) sample[c++] = v;
        }
        int rank = (int)Math.Min(c - 1L, (long)Math.Ceiling(1.5 * keep * samples / total) + 16);
        return rank < 0 || rank >= c - 1 ? T.Zero : SaeSelect.NthLargest<T>(sample.AsSpan(0, c), rank);
    }
}
