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
        s.PreActs(s.P.WEnc, s.P["b_enc"], s.Pre);
        T theta = T.CreateTruncating(s.BatchThreshold);
        int len = s.N * s.Cfg.DSae;
        s.Codes.ResetDense(s.N, s.Cfg.DSae, clear: false);
        var f = s.Codes.Dense;
        var pre = s.Pre;
        for (int i = 0; i < len; i++) f[i] = pre[i] > theta && pre[i] > T.Zero ? pre[i] : T.Zero;
        s.MaybeSparsify(s.Codes);
    }

    internal override void Loss<T>(SaeStep<T> s)
    {
        s.PreActs(s.P.WEnc, s.P["b_enc"], s.Pre);
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
    /// first, so the quickselect runs on about 1.5·keep values instead of N·d_sae.
    /// </summary>
    private static double BatchSelect<T>(SaeStep<T> s, long keep) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = s.N, m = s.Cfg.DSae;
        long total = (long)n * m;
        var pre = s.Pre;
        T cut = T.Zero;   // keep entries > cut; entries == tau are taken in order up to the count
        int ties = int.MaxValue;
        T tau = T.Zero;
        bool selectAll = true;
        int positives = CountAbove(pre, n, m, T.Zero);
        if (positives > keep)
        {
            selectAll = false;
            T bound = SampledBound(pre, total, keep, positives);
            int cand = CountAbove(pre, n, m, bound, inclusive: true);
            if (cand < keep) { bound = T.Zero; cand = positives; }
            var values = new T[cand];
            int c = 0;
            for (long i = 0; i < total; i++)
            {
                T v = pre[i];
                if (v > T.Zero && v >= bound) values[c++] = v;
            }
            tau = SaeSelect.NthLargest<T>(values.AsSpan(0, c), (int)(keep - 1));
            int above = CountAbove(pre, n, m, tau);
            ties = (int)(keep - above);
            cut = tau;
        }
        var codes = s.Codes;
        int capacity = (int)Math.Min(keep, positives);
        codes.ResetSparse(n, m, capacity);
        int e = 0;
        double smallest = double.PositiveInfinity;
        for (int r = 0; r < n; r++)
        {
            var row = pre.AsSpan(r * m, m);
            for (int i = 0; i < m; i++)
            {
                T v = row[i];
                bool take = v > cut && v > T.Zero;
                if (!take && !selectAll && v == tau && v > T.Zero && ties > 0) { take = true; ties--; }
                if (!take) continue;
                codes.Col[e] = i;
                codes.Val[e++] = v;
                smallest = Math.Min(smallest, double.CreateTruncating(v));
            }
            codes.RowStart[r + 1] = e;
        }
        return e == 0 ? 0 : smallest;
    }

    private static int CountAbove<T>(T[] pre, int n, int m, T bound, bool inclusive = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var counts = new int[n];
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
            {
                int c = 0;
                foreach (var v in pre.AsSpan(r * m, m))
                    if (v > T.Zero && (v > bound || (inclusive && v == bound))) c++;
                counts[r] = c;
            }
        });
        long sum = 0;
        foreach (var c in counts) sum += c;
        return checked((int)sum);
    }

    // A value below the keep-th largest with high probability: the sample's value at 1.5× the target rank plus a margin.
    private static T SampledBound<T>(T[] pre, long total, long keep, int positives) where T : unmanaged, IFloatingPointIeee754<T>
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
