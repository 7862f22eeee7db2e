using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// Matryoshka SAE (Bussmann et al. 2025, https://arxiv.org/abs/2503.17547; Nabeshima 2024): TopK codes, and every
/// nested prefix of latents [0, w_g) must reconstruct on its own: loss = Σ_g mean_n ‖b_dec + Σ_{i&lt;w_g} f_i W_dec,i − x‖².
/// With D_g = Σ_{g'≥g} ∂L/∂x̂⁽ᵍ'⁾, a latent of group g gets ∂L/∂f_i = D_g·W_dec,iᵀ and W_dec,i gets f_i·D_g.
/// Inference is plain TopK, so it is saved for SAELens as <c>topk</c>.
/// </summary>
internal sealed class MatryoshkaSae : SaeArchitecture
{
    public static readonly MatryoshkaSae Instance = new();

    public override string Name => "matryoshka";
    public override string Description => "TopK with nested prefix reconstructions (Bussmann et al. 2025)";
    public override bool UsesK => true;
    internal override IReadOnlyList<string> ExtraParameters { get; } = ["b_enc"];

    /// <summary>The prefix widths: the configured ones, or d_sae/8, d_sae/4, d_sae/2, d_sae.</summary>
    internal static int[] Widths(SaeConfig cfg) => cfg.MatryoshkaWidths.Count > 0
        ? [.. cfg.MatryoshkaWidths]
        : [.. new[] { cfg.DSae / 8, cfg.DSae / 4, cfg.DSae / 2 }.Where(w => w > 0).Distinct(), cfg.DSae];

    internal override void Validate(SaeConfig cfg)
    {
        var w = cfg.MatryoshkaWidths;
        if (w.Count == 0) return;
        for (int g = 0; g < w.Count; g++)
            if (w[g] < 1 || (g > 0 && w[g] <= w[g - 1]))
                throw new InvalidInputException($"matryoshka widths must increase from ≥ 1; got {string.Join(",", w)}.");
        if (w[^1] != cfg.DSae) throw new InvalidInputException($"the last matryoshka width must be d_sae = {cfg.DSae}; got {w[^1]}.");
    }

    internal override void Encode<T>(SaeStep<T> s)
    {
        s.PreActs(s.P.WEnc, s.P["b_enc"], s.Pre);
        TopKSae.RowTopK(s, s.Codes, s.Cfg.K, null);
    }

    internal override void Loss<T>(SaeStep<T> s)
    {
        Encode(s);
        int n = s.N, m = s.Cfg.DSae, o = s.Cfg.DOut;
        var widths = Widths(s.Cfg);
        int groups = widths.Length;
        var groupOf = new int[m];
        for (int i = 0, g = 0; i < m; i++) { while (i >= widths[g]) g++; groupOf[i] = g; }
        var c = s.Codes;
        // d[r, g] = ∂L/∂x̂⁽ᵍ⁾ of row r, turned into the suffix sums D_g in place.
        var d = new T[(long)n * groups * o];
        var rowLoss = new double[n * groups];
        T two = T.CreateTruncating(2.0 / n);
        T[] y = s.Y, xhat = s.XHat, wdec = s.P.WDec, bdec = s.P.BDec;
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            var run = new T[o];
            for (int r = lo; r < hi; r++)
            {
                bdec.CopyTo(run, 0);
                var yr = y.AsSpan(r * o, o);
                for (int g = 0; g < groups; g++)
                {
                    for (int e = c.RowStart[r]; e < c.RowStart[r + 1]; e++)
                        if (groupOf[c.Col[e]] == g) SaeLinalg.Axpy<T>(c.Val[e], wdec.AsSpan(c.Col[e] * o, o), run);
                    var dg = d.AsSpan((r * groups + g) * o, o);
                    double sum = 0;
                    for (int j = 0; j < o; j++)
                    {
                        T diff = run[j] - yr[j];
                        sum += double.CreateTruncating(diff * diff);
                        dg[j] = two * diff;
                    }
                    rowLoss[r * groups + g] = sum;
                }
                run.CopyTo(xhat, r * o);
                for (int g = groups - 2; g >= 0; g--)
                    SaeLinalg.Axpy<T>(T.One, d.AsSpan((r * groups + g + 1) * o, o), d.AsSpan((r * groups + g) * o, o));
            }
        });
        double full = 0, prefixes = 0;
        for (int r = 0; r < n; r++)
            for (int g = 0; g < groups; g++)
                if (g == groups - 1) full += rowLoss[r * groups + g]; else prefixes += rowLoss[r * groups + g];
        s.Recon = full / n;
        s.Aux = prefixes / n;
        if (s.G is null) return;

        var gb = s.G.BDec;
        for (int r = 0; r < n; r++) SaeLinalg.Axpy<T>(T.One, d.AsSpan(r * groups * o, o), gb);
        s.DPre.ResetLike(c);
        var dp = s.DPre;
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
                for (int e = c.RowStart[r]; e < c.RowStart[r + 1]; e++)
                    dp.Val[e] = SaeLinalg.Dot<T>(d.AsSpan((r * groups + groupOf[c.Col[e]]) * o, o), wdec.AsSpan(c.Col[e] * o, o));
        });
        s.BuildColumns(c);
        var gdec = s.G.WDec;
        SaeLinalg.ParallelRanges(m, (lo, hi) =>
        {
            for (int i = lo; i < hi; i++)
                for (int p = s._cscStart[i]; p < s._cscStart[i + 1]; p++)
                    SaeLinalg.Axpy<T>(c.Val[s._cscEntry[p]], d.AsSpan((s._cscRow[p] * groups + groupOf[i]) * o, o), gdec.AsSpan(i * o, o));
        });
        s.EncoderGrad(dp, s.P.WEnc, s.G.WEnc, s.G["b_enc"]);
    }
}
