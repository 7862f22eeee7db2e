using System.Numerics;
using Nonlinear.Kernels;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// JumpReLU SAE (Rajamanoharan et al. 2024, https://arxiv.org/abs/2407.14435): a = ReLU(pre), θ_i = exp(log_threshold_i),
/// f = a·H(a − θ), loss = mean_n ‖x̂ − x‖² + λ·mean_n Σ_i H(a_i − θ_i) (L0). The step has no useful derivative, so
/// the straight-through estimator with the rectangle kernel K(u) = 1[|u| &lt; ½] and bandwidth ε gives
/// ∂f/∂a = H(a − θ), ∂f/∂θ = −(θ/ε)·K((a − θ)/ε), ∂H/∂θ = −(1/ε)·K((a − θ)/ε), times θ for log_threshold.
/// </summary>
internal sealed class JumpReluSae : SaeArchitecture
{
    public static readonly JumpReluSae Instance = new();

    /// <summary>The initial threshold θ₀ (the paper's 0.001).</summary>
    public const double InitialThreshold = 1e-3;

    public override string Name => "jumprelu";
    public override string Description => "JumpReLU with per-latent threshold, STE + L0 (Rajamanoharan et al. 2024)";
    internal override IReadOnlyList<string> ExtraParameters { get; } = ["b_enc", "log_threshold"];

    internal override double InitialValue(string name, SaeConfig cfg) => name == "log_threshold" ? Math.Log(InitialThreshold) : 0;

    /// <summary>
    /// pre = Xc·W_enc (GEMM), then one parallel pass per row: pre += b_enc, f = a·1[a &gt; θ] with a = ReLU(pre), and
    /// the row's non-zeros (which the L0 term counts).
    /// </summary>
    internal override void Encode<T>(SaeStep<T> s)
    {
        s.PreActs(s.P.WEnc, null, s.Pre);
        int n = s.N, m = s.Cfg.DSae;
        var theta = Thresholds(s);
        s.Codes.ResetDense(n, m, clear: false);
        var f = s.Codes.Dense;
        var pre = s.Pre;
        var bias = s.P["b_enc"];
        var counts = s.EnsureRowCounts();
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
            {
                var pr = pre.AsSpan(r * m, m);
                var fr = f.AsSpan(r * m, m);
                SaeLinalg.Axpy(T.One, bias, pr);
                JumpRelu<T>(pr, theta, fr);
                counts[r] = SaeLinalg.CountPositive<T>(fr);
            }
        });
        s.MaybeSparsify(s.Codes, counts);
    }

    // f = a > θ ? a : 0 with a = max(pre, 0); θ > 0, so a > θ already implies pre > 0 and a = pre.
    private static void JumpRelu<T>(ReadOnlySpan<T> pre, ReadOnlySpan<T> theta, Span<T> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && pre.Length >= Vector<T>.Count)
            for (; i <= pre.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var a = Vector.Max(new Vector<T>(pre[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(Vector.GreaterThan(a, new Vector<T>(theta[i..])), a, Vector<T>.Zero).CopyTo(f[i..]);
            }
        for (; i < pre.Length; i++)
        {
            T a = T.Max(pre[i], T.Zero);
            f[i] = a > theta[i] ? a : T.Zero;
        }
    }

    private static T[] Thresholds<T>(SaeStep<T> s) where T : unmanaged, IFloatingPointIeee754<T>
        => Array.ConvertAll(s.P["log_threshold"], T.Exp);

    internal override void Loss<T>(SaeStep<T> s)
    {
        Encode(s);
        s.ReconstructAndLoss();
        int n = s.N, m = s.Cfg.DSae, o = s.Cfg.DOut;
        var c = s.Codes;
        double lambda = s.Cfg.SparsityCoefficient * s.SparsityScale;
        s.Sparsity = lambda * s.CountedNonZeros() / n;
        if (s.G is null) return;

        var theta = Thresholds(s);
        s.CodeGrad(c, s.DXHat, s.DPre);
        // One pass over [n, d_sae]: the threshold gradient over the window |a − θ| < ε/2 (which includes inactive
        // entries, so ∂L/∂f is read there before the mask), then ∂f/∂pre = H(a − θ) (zero where the code is off)
        // and the column sums of the masked gradient for b_enc. Per-chunk partials, added in chunk order, keep the
        // sums deterministic.
        T eps = T.CreateTruncating(s.Cfg.Bandwidth), half = eps / T.CreateTruncating(2.0);
        T l0 = T.CreateTruncating(lambda / n);
        var pre = s.Pre;
        var dense = c.IsSparse ? null : s.DPre.Dense;
        var f = c.Dense;
        var wdec = s.P.WDec;
        var dx = s.DXHat;
        int chunks = Math.Max(1, Math.Min(n, SaeLinalg.SumChunks));
        var partial = new T[chunks][];
        var dpSum = dense is null ? null : new T[chunks][];
        Parallelism.For(chunks, ch =>
        {
            var g = partial[ch] = new T[m];
            var sum = dpSum is null ? null : dpSum[ch] = new T[m];
            var hits = new List<int>();
            for (int r = (int)((long)n * ch / chunks); r < (int)((long)n * (ch + 1) / chunks); r++)
            {
                var pr = pre.AsSpan(r * m, m);
                WindowEntries(pr, theta, half, hits);
                foreach (int i in hits)
                {
                    T a = T.Max(pr[i], T.Zero);
                    if (T.Abs(a - theta[i]) >= half) continue;
                    T df = dense is not null ? dense[r * m + i] : SaeLinalg.Dot<T>(dx.AsSpan(r * o, o), wdec.AsSpan(i * o, o));
                    g[i] -= (theta[i] * df + l0) / eps;
                }
                if (dense is null) continue;
                var dr = dense.AsSpan(r * m, m);
                SaeLinalg.KeepWhereActive<T>(dr, f.AsSpan(r * m, m));
                SaeLinalg.Axpy(T.One, dr, sum!);
            }
        });
        var glog = s.G["log_threshold"];
        for (int i = 0; i < m; i++)
        {
            T sum = T.Zero;
            for (int ch = 0; ch < chunks; ch++) sum += partial[ch][i];
            glog[i] += sum * theta[i];
        }
        T[]? colSums = null;
        if (dpSum is not null)
        {
            colSums = new T[m];
            foreach (var part in dpSum) SaeLinalg.Axpy(T.One, part, colSums);
        }
        s.EncoderGrad(s.DPre, s.P.WEnc, s.G.WEnc, s.G["b_enc"], colSums);
    }

    /// <summary>
    /// Candidate latents of one row for the STE window |ReLU(pre) − θ| &lt; ε/2: every index of a vector block in
    /// which some lane is inside (the caller re-checks each), so the rare hits cost a scalar look and the rest one compare.
    /// </summary>
    private static void WindowEntries<T>(ReadOnlySpan<T> pre, ReadOnlySpan<T> theta, T half, List<int> hits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        hits.Clear();
        int i = 0;
        if (Vector.IsHardwareAccelerated && pre.Length >= Vector<T>.Count)
        {
            var h = new Vector<T>(half);
            for (; i <= pre.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var a = Vector.Max(new Vector<T>(pre[i..]), Vector<T>.Zero);
                if (Vector.LessThanAny(Vector.Abs(a - new Vector<T>(theta[i..])), h))
                    for (int j = i; j < i + Vector<T>.Count; j++) hits.Add(j);
            }
        }
        for (; i < pre.Length; i++) hits.Add(i);
    }
}
