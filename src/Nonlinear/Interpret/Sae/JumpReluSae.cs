using System.Numerics;

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

    internal override void Encode<T>(SaeStep<T> s)
    {
        s.PreActs(s.P.WEnc, s.P["b_enc"], s.Pre);
        int n = s.N, m = s.Cfg.DSae;
        var theta = Thresholds(s);
        s.Codes.ResetDense(n, m, clear: false);
        var f = s.Codes.Dense;
        var pre = s.Pre;
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
                for (int i = 0; i < m; i++)
                {
                    T a = T.Max(pre[r * m + i], T.Zero);
                    f[r * m + i] = a > theta[i] ? a : T.Zero;
                }
        });
        s.MaybeSparsify(s.Codes);
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
        long active = 0;
        if (c.IsSparse) active = c.NonZeros;
        else foreach (var v in c.Dense.AsSpan(0, n * m)) if (v != T.Zero) active++;
        s.Sparsity = lambda * active / n;
        if (s.G is null) return;

        var theta = Thresholds(s);
        s.CodeGrad(c, s.DXHat, s.DPre);
        // Threshold gradient over the window |a − θ| < ε/2 (which includes inactive entries, so ∂L/∂f is computed
        // there too); per-chunk partial sums, added in chunk order, keep it deterministic.
        T eps = T.CreateTruncating(s.Cfg.Bandwidth), half = eps / T.CreateTruncating(2.0);
        T l0 = T.CreateTruncating(lambda / n);
        var pre = s.Pre;
        var dense = c.IsSparse ? null : s.DPre.Dense;
        var wdec = s.P.WDec;
        var dx = s.DXHat;
        int chunks = Math.Max(1, Math.Min(n, 16));
        var partial = new T[chunks][];
        SaeLinalg.ParallelRanges(chunks, (clo, chi) =>
        {
            for (int ch = clo; ch < chi; ch++)
            {
                var g = partial[ch] = new T[m];
                for (int r = (int)((long)n * ch / chunks); r < (int)((long)n * (ch + 1) / chunks); r++)
                    for (int i = 0; i < m; i++)
                    {
                        T a = T.Max(pre[r * m + i], T.Zero);
                        if (T.Abs(a - theta[i]) >= half) continue;
                        T df = dense is not null ? dense[r * m + i] : SaeLinalg.Dot<T>(dx.AsSpan(r * o, o), wdec.AsSpan(i * o, o));
                        g[i] -= (theta[i] * df + l0) / eps;
                    }
            }
        });
        var glog = s.G["log_threshold"];
        for (int i = 0; i < m; i++)
        {
            T sum = T.Zero;
            for (int ch = 0; ch < chunks; ch++) sum += partial[ch][i];
            glog[i] += sum * theta[i];
        }
        if (dense is not null)
        {
            // ∂f/∂pre = H(a − θ): zero where the code is off.
            var f = c.Dense;
            for (int j = 0; j < n * m; j++) if (f[j] == T.Zero) dense[j] = T.Zero;
        }
        s.EncoderGrad(s.DPre, s.P.WEnc, s.G.WEnc, s.G["b_enc"]);
    }
}
