using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// TopK SAE (Gao et al. 2024, https://arxiv.org/abs/2406.04093): f = ReLU(TopK((x − b_dec)·W_enc + b_enc)), the k
/// largest pre-activations of each sample kept (selection, no sort), loss = mean_n ‖x̂ − x‖² + AuxK.
/// AuxK: the k_aux largest pre-activations among dead latents reconstruct the detached residual e = x − x̂:
/// α·V(x)·mean_n ‖e − ê‖² / mean_n ‖e − ē‖², ê = ReLU(TopK_aux(pre_dead))·W_dec (no bias), ē the batch mean of e and V(x)
/// = mean_n ‖x − x̄‖² (Gao et al.'s normalised MSE, rescaled to our unnormalised reconstruction term). Gradient at each kept entry: ∂/∂pre = (∂L/∂x̂)·W_dec,iᵀ.
/// </summary>
internal sealed class TopKSae : SaeArchitecture
{
    public static readonly TopKSae Instance = new();

    public override string Name => "topk";
    public override string Description => "TopK per sample + AuxK for dead latents (Gao et al. 2024)";
    public override bool UsesK => true;
    internal override IReadOnlyList<string> ExtraParameters { get; } = ["b_enc"];

    internal override void Encode<T>(SaeStep<T> s)
    {
        s.PreActs(s.P.WEnc, null, s.Pre);
        RowTopK(s, s.Codes, s.Cfg.K, null, s.P["b_enc"]);
    }

    /// <summary>
    /// Per-sample TopK of <c>s.Pre</c> (positive entries only, ReLU after TopK) into <paramref name="codes"/>; with
    /// <paramref name="bias"/>, each row first gets pre += bias (b_enc, fused here so the row is read while in cache).
    /// </summary>
    internal static void RowTopK<T>(SaeStep<T> s, SaeCodes<T> codes, int k, bool[]? allowed, T[]? bias = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = s.N, m = s.Cfg.DSae;
        codes.ResetSparse(n, m, n * k);
        var counts = new int[n];
        var pre = s.Pre;
        // Each row writes its k slots in place, then a serial pass compacts away the non-positive ones.
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            var idx = new int[k];
            for (int r = lo; r < hi; r++)
            {
                var row = pre.AsSpan(r * m, m);
                if (bias is not null) SaeLinalg.Axpy(T.One, bias, row);
                int found = SaeSelect.TopK<T>(row, k, idx, allowed), kept = 0;
                for (int t = 0; t < found; t++)
                    if (row[idx[t]] > T.Zero)
                    {
                        codes.Col[r * k + kept] = idx[t];
                        codes.Val[r * k + kept] = row[idx[t]];
                        kept++;
                    }
                counts[r] = kept;
            }
        });
        int e = 0;
        for (int r = 0; r < n; r++)
        {
            int src = r * k;
            if (src != e)
                for (int t = 0; t < counts[r]; t++) { codes.Col[e + t] = codes.Col[src + t]; codes.Val[e + t] = codes.Val[src + t]; }
            e += counts[r];
            codes.RowStart[r + 1] = e;
        }
    }

    internal override void Loss<T>(SaeStep<T> s)
    {
        Encode(s);
        s.ReconstructAndLoss();
        AuxK(s);
        if (s.G is null) return;
        s.CodeGrad(s.Codes, s.DXHat, s.DPre);
        s.EncoderGrad(s.DPre, s.P.WEnc, s.G.WEnc, s.G["b_enc"]);
    }

    /// <summary>The AuxK term and its gradients (none when no latent is dead or α = 0).</summary>
    internal static void AuxK<T>(SaeStep<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dead = s.Dead;
        if (dead is null || s.Cfg.AuxKCoefficient == 0 || !Array.Exists(dead, d => d)) return;
        s.EnsureAuxBuffers(latentWide: false);
        int len = s.N * s.Cfg.DOut;
        if (s.FrozenResidual is { } frozen) Array.Copy(frozen, s.AuxTarget, len);
        else for (int j = 0; j < len; j++) s.AuxTarget[j] = s.Y[j] - s.XHat[j];
        RowTopK(s, s.AuxCodes, Math.Min(s.Cfg.KAuxOrDefault, s.Cfg.DSae), dead);
        s.Decode(s.AuxCodes, bias: false, s.AuxOut);
        // Gao et al. normalise both terms by the MSE of predicting their target by its batch mean (AuxK: the residual's);
        // our reconstruction term is not normalised, so AuxK is scaled by the batch's target variance instead: the
        // same ratio between the two terms, hence the same gradient direction. Both variances are constants (detached).
        double residualVariance = CenteredSquares(s.AuxTarget, s.N, s.Cfg.DOut);
        double coef = residualVariance > 0 ? s.Cfg.AuxKCoefficient * CenteredSquares(s.Y, s.N, s.Cfg.DOut) / residualVariance : 0;
        s.Aux = s.SquaredError(s.AuxOut, s.AuxTarget, s.G is null ? null : s.AuxGrad, coef);
        if (s.G is null) return;
        s.DecoderGrad(s.AuxCodes, s.AuxGrad, s.G.WDec);
        s.CodeGrad(s.AuxCodes, s.AuxGrad, s.AuxDPre);
        s.EncoderGrad(s.AuxDPre, s.P.WEnc, s.G.WEnc, s.G["b_enc"]);
    }

    /// <summary>mean_n Σ_d (v_nd − v̄_d)², v̄ the column means over the n rows (the MSE of predicting v by its mean, times d).</summary>
    internal static double CenteredSquares<T>(T[] v, int n, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mean = new double[d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) mean[j] += double.CreateTruncating(v[r * d + j]);
        for (int j = 0; j < d; j++) mean[j] /= n;
        double sum = 0;
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++)
            {
                double e = double.CreateTruncating(v[r * d + j]) - mean[j];
                sum += e * e;
            }
        return sum / n;
    }
}
