using Nonlinear.Interpret.Sae;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Interpret.Sae;

/// <summary>
/// Dead-latent resampling against Bricken et al. 2023's recipe, checked entry by entry on a small TopK SAE: only the
/// latents silent for the window change; each gets the unit direction of the input drawn (∝ loss², so with one badly
/// reconstructed input it must be that one) as its decoder row, the centred input's direction scaled to 0.2 × the mean
/// live encoder-column norm as its encoder column, b_enc 0, and zero Adam moments — everything else is left as it was.
/// </summary>
public sealed class SaeResamplerTests
{
    [Fact]
    public void ResamplesOnlyDeadLatentsTowardsTheWorstReconstructedInput()
    {
        var cfg = SaeFixtures.Config("topk");
        var p = SaeFixtures.Params<float>(cfg, 3);
        var g = new SaeParams<float>(cfg);
        var s = SaeFixtures.Step(cfg, p);
        s.G = g;
        cfg.Architecture.Loss(s);
        var tensors = p.Names.Select(name =>
        {
            var shape = SaeParams<float>.Shape(cfg, name);
            var t = Tensor.FromArray(p[name], shape);
            t.Grad = Tensor.FromArray(g[name], shape);
            return t;
        }).ToList();
        var adam = new Adam(tensors, 1e-2);
        adam.Step();
        // Every input reconstructed exactly except row 4: the loss-squared draw can only pick row 4.
        const int worst = 4;
        int d = cfg.DIn, m = cfg.DSae;
        for (int r = 0; r < SaeFixtures.N; r++)
            for (int j = 0; j < d; j++) s.XHat[r * d + j] = s.Y[r * d + j] + (r == worst ? 0.5f : 0f);
        var before = p.Names.ToDictionary(n => n, n => p[n].ToArray());
        // Distinct non-zero moments everywhere, so "zeroed" and "left as it was" are both visible.
        var state = adam.StateDict();
        foreach (var a in state.Tensors.Values) for (int i = 0; i < a.Length; i++) a[i] = 0.25f + i * 1e-3f;
        adam.LoadStateDict(state);
        var momentsBefore = adam.StateDict().Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        Assert.NotEmpty(momentsBefore);
        var lastFired = Enumerable.Repeat(100L, m).ToArray();
        int[] dead = [2, 7];
        foreach (var i in dead) lastFired[i] = 40;

        int count = SaeResampler.Resample(s, lastFired, seen: 100, window: 50, adam, new Rng(5));

        Assert.Equal(2, count);
        double liveNorm = Enumerable.Range(0, m).Where(i => !dead.Contains(i))
            .Average(i => Math.Sqrt(Enumerable.Range(0, d).Sum(j => (double)before["W_enc"][j * m + i] * before["W_enc"][j * m + i])));
        double yNorm = Math.Sqrt(Enumerable.Range(0, d).Sum(j => (double)s.Y[worst * d + j] * s.Y[worst * d + j]));
        double xcNorm = Math.Sqrt(Enumerable.Range(0, d).Sum(j => (double)s.Xc[worst * d + j] * s.Xc[worst * d + j]));
        var moments = adam.StateDict().Tensors;
        for (int i = 0; i < m; i++)
        {
            bool isDead = dead.Contains(i);
            for (int j = 0; j < d; j++)
            {
                float expectDec = isDead ? (float)(s.Y[worst * d + j] / yNorm) : before["W_dec"][i * d + j];
                float expectEnc = isDead ? (float)(s.Xc[worst * d + j] / xcNorm * 0.2 * liveNorm) : before["W_enc"][j * m + i];
                Assert.Equal(expectDec, p.WDec[i * d + j], 6);
                Assert.Equal(expectEnc, p.WEnc[j * m + i], 6);
            }
            Assert.Equal(isDead ? 0f : before["b_enc"][i], p["b_enc"][i]);
            Assert.Equal(100L, lastFired[i]);
            for (int k = 0; k < p.Names.Count; k++)
            {
                string name = p.Names[k];
                foreach (var key in new[] { $"param.{k}.exp_avg", $"param.{k}.exp_avg_sq" })
                    for (int idx = 0; idx < moments[key].Length; idx++)
                    {
                        int latent = name switch { "W_enc" => idx % m, "W_dec" => idx / d, "b_dec" => -1, _ => idx };
                        if (latent != i) continue;
                        Assert.Equal(isDead ? 0f : momentsBefore[key][idx], moments[key][idx]);
                    }
            }
        }
        Assert.Equal(before["b_dec"], p.BDec);
        int bDec = p.Names.ToList().IndexOf("b_dec");
        Assert.Equal(momentsBefore[$"param.{bDec}.exp_avg"], moments[$"param.{bDec}.exp_avg"]);
    }
}
