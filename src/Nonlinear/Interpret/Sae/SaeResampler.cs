using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// Dead-latent resampling (Bricken et al. 2023, "Towards Monosemanticity", appendix): each latent that has not fired
/// within the window gets a decoder row along a batch input drawn with probability ∝ its squared reconstruction
/// loss, an encoder column along the same direction scaled to 0.2× the mean norm of the live encoder columns, a
/// zero encoder bias, and fresh Adam moments for those entries.
/// </summary>
internal static class SaeResampler
{
    /// <summary>Resamples the latents silent for <paramref name="window"/> inputs as of <paramref name="seen"/> inputs; returns how many.</summary>
    public static int Resample(SaeStep<float> s, long[] lastFired, long seen, long window, Adam adam, Rng rng)
    {
        var cfg = s.Cfg;
        int m = cfg.DSae, d = cfg.DIn, o = cfg.DOut, n = s.N;
        var deadList = Enumerable.Range(0, m).Where(i => seen - lastFired[i] >= window).ToArray();
        if (deadList.Length == 0) return 0;
        var weight = new double[n];
        double total = 0;
        for (int r = 0; r < n; r++)
        {
            double ss = 0;
            for (int j = 0; j < o; j++) { double e = s.XHat[r * o + j] - s.Y[r * o + j]; ss += e * e; }
            total += weight[r] = ss * ss;
        }
        var p = s.P;
        var isDead = new bool[m];
        foreach (var i in deadList) isDead[i] = true;
        double aliveNorm = 0;
        int alive = 0;
        for (int i = 0; i < m; i++)
        {
            if (isDead[i]) continue;
            double ss = 0;
            for (int j = 0; j < d; j++) ss += p.WEnc[j * m + i] * (double)p.WEnc[j * m + i];
            aliveNorm += Math.Sqrt(ss);
            alive++;
        }
        double encNorm = 0.2 * (alive > 0 ? aliveNorm / alive : 1);
        foreach (var i in deadList)
        {
            int r = Draw(weight, total, rng);
            Direction(s.Y.AsSpan(r * o, o), p.WDec.AsSpan(i * o, o));
            var enc = new float[d];
            Direction(s.Xc.AsSpan(r * d, d), enc);
            for (int j = 0; j < d; j++) p.WEnc[j * m + i] = (float)(enc[j] * encNorm);
            if (p.Names.Contains("b_enc")) p["b_enc"][i] = 0;
            lastFired[i] = seen;
        }
        ResetMoments(adam, p, cfg, isDead);
        return deadList.Length;
    }

    private static int Draw(double[] weight, double total, Rng rng)
    {
        if (!(total > 0)) return rng.NextInt(weight.Length);
        double u = rng.NextDouble() * total;
        for (int r = 0; r < weight.Length; r++) { u -= weight[r]; if (u < 0) return r; }
        return weight.Length - 1;
    }

    private static void Direction(ReadOnlySpan<float> v, Span<float> output)
    {
        double ss = 0;
        foreach (var a in v) ss += a * (double)a;
        double inv = ss > 0 ? 1 / Math.Sqrt(ss) : 0;
        for (int j = 0; j < v.Length; j++) output[j] = (float)(v[j] * inv);
    }

    // Zeroes exp_avg and exp_avg_sq at the resampled latents' entries of W_enc (columns), b_enc and W_dec (rows).
    private static void ResetMoments(Adam adam, SaeParams<float> p, SaeConfig cfg, bool[] dead)
    {
        var state = adam.StateDict();
        int m = cfg.DSae;
        for (int k = 0; k < p.Names.Count; k++)
        {
            string name = p.Names[k];
            foreach (var key in new[] { $"param.{k}.exp_avg", $"param.{k}.exp_avg_sq" })
            {
                if (!state.Tensors.TryGetValue(key, out var a)) continue;
                for (int idx = 0; idx < a.Length; idx++)
                {
                    int latent = name switch
                    {
                        SaeParams<float>.WEncName => idx % m,
                        SaeParams<float>.WDecName => idx / cfg.DOut,
                        SaeParams<float>.BDecName => -1,
                        _ => idx,
                    };
                    if (latent >= 0 && dead[latent]) a[idx] = 0;
                }
            }
        }
        adam.LoadStateDict(state);
    }
}
