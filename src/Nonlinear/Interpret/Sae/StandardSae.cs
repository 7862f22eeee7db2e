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

    internal override void Encode<T>(SaeStep<T> s) => Codes(s, null);

    /// <summary>
    /// pre = Xc·W_enc (GEMM), then one parallel pass per row: pre += b_enc, f = ReLU(pre), the row's non-zeros and
    /// (when <paramref name="fSum"/> is given) the column sums Σ_n f_ni, so the 64 MB code matrix is read once.
    /// </summary>
    private static void Codes<T>(SaeStep<T> s, T[]? fSum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = s.N, m = s.Cfg.DSae;
        s.PreActs(s.P.WEnc, null, s.Pre);
        s.Codes.ResetDense(n, m, clear: false);
        var pre = s.Pre;
        var f = s.Codes.Dense;
        var bias = s.P["b_enc"];
        var counts = s.EnsureRowCounts();
        SaeLinalg.RowChunksWithColumnSums<T>(n, m, fSum ?? new T[m], (lo, hi, partial) =>
        {
            for (int r = lo; r < hi; r++)
            {
                var pr = pre.AsSpan(r * m, m);
                var fr = f.AsSpan(r * m, m);
                SaeLinalg.Axpy(T.One, bias, pr);
                SaeLinalg.Relu<T>(pr, fr);
                counts[r] = SaeLinalg.CountPositive<T>(fr);
                if (fSum is not null) SaeLinalg.Axpy(T.One, fr, partial);
            }
        });
        s.MaybeSparsify(s.Codes, counts);
    }

    internal override void Loss<T>(SaeStep<T> s)
    {
        int m = s.Cfg.DSae, o = s.Cfg.DOut, n = s.N;
        // Σ_n f_ni per latent: the penalty is λ/N·Σ_i norm_i·(that sum), and the W_dec gradient needs the sums.
        var fSum = new T[m];
        Codes(s, fSum);
        s.ReconstructAndLoss();
        var wdec = s.P.WDec;
        var norms = new T[m];
        for (int i = 0; i < m; i++) norms[i] = T.Sqrt(SaeLinalg.Dot<T>(wdec.AsSpan(i * o, o), wdec.AsSpan(i * o, o)));
        var c = s.Codes;
        double lambda = s.Cfg.SparsityCoefficient * s.SparsityScale;
        s.Sparsity = lambda / n * double.CreateTruncating(SaeLinalg.Dot<T>(norms, fSum));
        if (s.G is null) return;

        T ln = T.CreateTruncating(lambda / n);
        s.CodeGrad(c, s.DXHat, s.DPre);
        var dp = s.DPre;
        T[]? dpSum = null;
        if (dp.IsSparse)
            // Every stored entry is an active latent (pre > 0), where ReLU' = 1.
            for (int e = 0; e < dp.NonZeros; e++) dp.Val[e] += ln * norms[dp.Col[e]];
        else
        {
            // One pass: dpre = (dcode + λ‖W_dec,i‖/N)·1[f > 0] (f > 0 exactly where pre > 0), and its column sums for b_enc.
            var f = c.Dense;
            var penalty = new T[m];
            for (int i = 0; i < m; i++) penalty[i] = ln * norms[i];
            dpSum = new T[m];
            SaeLinalg.RowChunksWithColumnSums<T>(n, m, dpSum, (lo, hi, partial) =>
            {
                for (int r = lo; r < hi; r++)
                {
                    var dr = dp.Dense.AsSpan(r * m, m);
                    SaeLinalg.AddWhereActive<T>(dr, penalty, f.AsSpan(r * m, m));
                    SaeLinalg.Axpy(T.One, dr, partial);
                }
            });
        }
        var gdec = s.G.WDec;
        for (int i = 0; i < m; i++)
            if (norms[i] > T.Zero && fSum[i] != T.Zero)
                SaeLinalg.Axpy(ln * fSum[i] / norms[i], wdec.AsSpan(i * o, o), gdec.AsSpan(i * o, o));
        s.EncoderGrad(dp, s.P.WEnc, s.G.WEnc, s.G["b_enc"], dpSum);
    }
}
