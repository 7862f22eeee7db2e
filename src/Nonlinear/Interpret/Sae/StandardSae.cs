using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// ReLU SAE with an L1 penalty weighted by decoder norms: f = ReLU((x − b_dec)·W_enc + b_enc),
/// loss = mean_n ‖x̂ − x‖² + λ·mean_n Σ_i f_i ‖W_dec,i‖ (Anthropic, "Circuits Updates – April 2024"; Bricken et
/// al. 2023 for the ReLU SAE). The decoder rows are not renormalised, since the penalty depends on their norms.
/// Gradient: ∂/∂pre = (f̄·W_decᵀ + λ‖W_dec,i‖/N)·1[pre > 0]; ∂/∂W_dec,i gains (λ/N)·Σ_n f_ni·W_dec,i/‖W_dec,i‖.
/// </summary>
internal sealed class StandardSae : SaeArchitecture
{
    public static readonly StandardSae Instance = new();

    public override string Name => "standard";
    public override string Description => "ReLU + decoder-norm-weighted L1 (Anthropic April 2024 update)";
    public override bool UnitNormDecoder => false;
    internal override IReadOnlyList<string> ExtraParameters { get; } = ["b_enc"];

    internal override void Encode<T>(SaeStep<T> s) => Codes(s);

    private static void Codes<T>(SaeStep<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        s.PreActs(s.P.WEnc, s.P["b_enc"], s.Pre);
        int len = s.N * s.Cfg.DSae;
        s.Codes.ResetDense(s.N, s.Cfg.DSae, clear: false);
        var pre = s.Pre;
        var f = s.Codes.Dense;
        for (int i = 0; i < len; i++) f[i] = pre[i] > T.Zero ? pre[i] : T.Zero;
        s.MaybeSparsify(s.Codes);
    }

    internal override void Loss<T>(SaeStep<T> s)
    {
        Codes(s);
        s.ReconstructAndLoss();
        int m = s.Cfg.DSae, o = s.Cfg.DOut, n = s.N;
        var wdec = s.P.WDec;
        var norms = new T[m];
        for (int i = 0; i < m; i++) norms[i] = T.Sqrt(SaeLinalg.Dot<T>(wdec.AsSpan(i * o, o), wdec.AsSpan(i * o, o)));
        // Σ_n f_ni per latent: the penalty is λ/N·Σ_i norm_i·(that sum), and the W_dec gradient needs the sums.
        var fSum = new T[m];
        var c = s.Codes;
        if (c.IsSparse) for (int e = 0; e < c.NonZeros; e++) fSum[c.Col[e]] += c.Val[e];
        else SaeLinalg.AddColumnSums<T>(c.Dense, n, m, T.One, fSum);
        double lambda = s.Cfg.SparsityCoefficient * s.SparsityScale;
        s.Sparsity = lambda / n * double.CreateTruncating(SaeLinalg.Dot<T>(norms, fSum));
        if (s.G is null) return;

        T ln = T.CreateTruncating(lambda / n);
        s.CodeGrad(c, s.DXHat, s.DPre);
        var dp = s.DPre;
        if (dp.IsSparse)
            // Every stored entry is an active latent (pre > 0), where ReLU' = 1.
            for (int e = 0; e < dp.NonZeros; e++) dp.Val[e] += ln * norms[dp.Col[e]];
        else
        {
            var pre = s.Pre;
            SaeLinalg.ParallelRanges(n, (lo, hi) =>
            {
                for (int r = lo; r < hi; r++)
                    for (int i = 0; i < m; i++)
                    {
                        int j = r * m + i;
                        dp.Dense[j] = pre[j] > T.Zero ? dp.Dense[j] + ln * norms[i] : T.Zero;
                    }
            });
        }
        var gdec = s.G.WDec;
        for (int i = 0; i < m; i++)
            if (norms[i] > T.Zero && fSum[i] != T.Zero)
                SaeLinalg.Axpy(ln * fSum[i] / norms[i], wdec.AsSpan(i * o, o), gdec.AsSpan(i * o, o));
        s.EncoderGrad(dp, s.P.WEnc, s.G.WEnc, s.G["b_enc"]);
    }
}
