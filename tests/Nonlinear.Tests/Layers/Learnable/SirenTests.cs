using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Layers.Learnable;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers.Learnable;

/// <summary>SIREN: the fused sine against double sin/cos and on every tier; the paper's initialisation and its activation statistics.</summary>
public class SirenTests
{
    /// <summary>sin(ω₀z) and ω₀cos(ω₀z) within 4e-6·ω₀ absolute (VMath sin/cos ≤ 1 ulp, plus the rounding of ω₀z, ≈ 2⁻²⁴·|ω₀z|); same bits on every tier.</summary>
    [Fact]
    public void SineKernelMatchesDoubleAndIsTierIdentical()
    {
        var rng = new Rng(4);
        var z = new float[1000 + 13];
        for (int i = 0; i < z.Length; i++) z[i] = 2 * rng.NextFloat() - 1;
        var k = new SineKernel(30f);
        var ones = Enumerable.Repeat(1f, z.Length).ToArray();
        int[]? y0 = null, d0 = null;
        foreach (var tier in new[] { SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar })
        {
            var y = new float[z.Length];
            var d = new float[z.Length];
            UnaryDriver.Forward(k, z, y, tier);
            UnaryDriver.Backward(k, z, default, ones, d, tier);
            for (int i = 0; i < z.Length; i++)
            {
                Assert.True(Math.Abs(y[i] - Math.Sin((double)(30f * z[i]))) <= 4e-6, $"sin at z={z[i]}: {y[i]}");
                Assert.True(Math.Abs(d[i] - 30 * Math.Cos((double)(30f * z[i]))) <= 4e-6 * 30, $"derivative at z={z[i]}: {d[i]}");
            }
            var yb = y.Select(BitConverter.SingleToInt32Bits).ToArray();
            var db = d.Select(BitConverter.SingleToInt32Bits).ToArray();
            if (y0 is null) { (y0, d0) = (yb, db); continue; }
            Assert.Equal(y0, yb);
            Assert.Equal(d0, db);
        }
    }

    /// <summary>
    /// Weights of a 256-wide SIREN: first layer within ±1/n, later ones within ±√(6/n)/ω₀, each with the uniform
    /// variance bound²/3 to within 5 % (65536 samples: the sample variance's relative sd is ≈ 0.5 %).
    /// </summary>
    [Fact]
    public void InitialisationFollowsThePaper()
    {
        var net = Siren.Build(2, [256, 256, 256], 1, new Rng(7));
        var layers = net.NamedChildren().Select(c => c.Module).ToList();
        var first = (SineLayer)layers[0];
        var second = (SineLayer)layers[1];
        CheckUniform(first.Linear.Weight.ToArray(), 1.0 / 2, "first");
        CheckUniform(second.Linear.Weight.ToArray(), Math.Sqrt(6.0 / 256) / 30, "hidden");
        CheckUniform(((Nonlinear.Layers.Linear)layers[3]).Weight.ToArray(), Math.Sqrt(6.0 / 256) / 30, "output");
    }

    private static void CheckUniform(float[] w, double bound, string what)
    {
        Assert.True(w.All(v => Math.Abs(v) <= bound), $"{what}: a weight exceeds ±{bound}");
        double mean = w.Average(v => (double)v), var = w.Average(v => (v - mean) * (v - mean));
        if (w.Length >= 4096) Assert.True(Math.Abs(var / (bound * bound / 3) - 1) < 0.05, $"{what}: variance {var} vs {bound * bound / 3}");
        Assert.True(w.Max() > 0.9 * bound && w.Min() < -0.9 * bound, $"{what}: weights do not fill ±{bound}");
    }

    /// <summary>
    /// The paper's analysis (Sec. 3.2): with inputs U(−1, 1) every sine layer's output is arcsine-distributed on [−1, 1]
    /// with variance 1/2, at every depth. Measured on 6 layers × 512 samples × 256 units: within 0.45..0.55.
    /// A different first-layer scale (e.g. the hidden bound) or a missing 1/ω₀ breaks this (variance drifts or saturates).
    /// </summary>
    [Fact]
    public void ActivationsStayArcsineDistributedAtDepth()
    {
        var net = Siren.Build(1, [256, 256, 256, 256, 256, 256], 1, new Rng(3));
        var rng = new Rng(5);
        var x = Tensor.Zeros(512, 1);
        var xs = x.AsSpan();
        for (int i = 0; i < xs.Length; i++) xs[i] = 2 * rng.NextFloat() - 1;
        using var _ = Autograd.NoGrad();
        var h = x;
        foreach (var (_, layer) in net.NamedChildren().Take(6))
        {
            h = layer.Forward(h);
            var v = h.ToArray();
            double mean = v.Average(a => (double)a), variance = v.Average(a => (a - mean) * (a - mean));
            Assert.InRange(variance, 0.45, 0.55);
            Assert.InRange(mean, -0.15, 0.15); // 256 unit means, each random with sd ≲ 0.7: their average has sd ≈ 0.045
        }
    }

    /// <summary>The fused sine equals Ops.Sin(ω₀·z) in value and gradient (same VMath sin/cos, one extra rounding of ω₀·z·g on the composed side: ≤ 1e-6·ω₀).</summary>
    [Fact]
    public void FusedSineEqualsComposition()
    {
        var rng = new Rng(8);
        var data = Enumerable.Range(0, 37).Select(_ => 2 * rng.NextFloat() - 1).ToArray();
        var z1 = Tensor.FromArray(data.ToArray(), 37).RequireGrad();
        var z2 = Tensor.FromArray(data.ToArray(), 37).RequireGrad();
        var y1 = SineLayer.Sine(z1, 30f);
        var y2 = Ops.Sin(z2 * 30f);
        Assert.Equal(y2.ToArray(), y1.ToArray());
        Ops.Sum(y1 * y1).Backward();
        Ops.Sum(y2 * y2).Backward();
        var g1 = z1.Grad!.ToArray();
        var g2 = z2.Grad!.ToArray();
        for (int i = 0; i < g1.Length; i++) Assert.True(Math.Abs(g1[i] - g2[i]) <= 1e-6 * 30 * (1 + Math.Abs(g2[i])), $"dz[{i}]: fused {g1[i]}, composed {g2[i]}");
    }

    /// <summary>Gradients through a SIREN against central differences of the float network (L = Σ y², double accumulation).</summary>
    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var net = Siren.Build(2, [8, 8], 1, new Rng(11), firstOmega0: 3f, hiddenOmega0: 3f);
        var x = Tensor.FromArray([0.3f, -0.6f, 0.9f, 0.1f, -0.2f, 0.5f], 3, 2);
        var y = net.Forward(x);
        Ops.Sum(y * y).Backward();
        double Loss()
        {
            using var _ = Autograd.NoGrad();
            return net.Forward(x).ToArray().Sum(v => (double)v * v);
        }
        foreach (var p in net.NamedParameters())
        {
            var s = p.Tensor.AsSpan();
            var g = p.Tensor.Grad!.ToArray();
            for (int i = 0; i < s.Length; i += 3)
            {
                float keep = s[i], h = 1e-2f;
                s[i] = keep + h; double lp = Loss();
                s[i] = keep - h; double lm = Loss();
                s[i] = keep;
                double fd = (lp - lm) / (2 * h);
                Assert.True(Math.Abs(g[i] - fd) <= 2e-3 * (1 + Math.Abs(fd)), $"{p.Name}[{i}]: {g[i]} vs {fd}");
            }
        }
    }
}
