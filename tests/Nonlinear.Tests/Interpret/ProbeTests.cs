using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Probes;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Interpret;

public sealed class ProbeTests
{
    // Three Gaussian blobs in 4 dimensions, class c centred at 3·e_c, plus a constant unit (standardisation must not NaN).
    private static (float[] X, int[] Y) Blobs(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new float[n * 5];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            for (int d = 0; d < 4; d++) x[i * 5 + d] = (float)rng.NextGaussian() + (d == y[i] ? 3f : 0f);
            x[i * 5 + 4] = 2f;
        }
        return (x, y);
    }

    [Fact]
    public void TheFittedProbeIsAStationaryPointOfThePenalisedLoss()
    {
        var (x, y) = Blobs(120, 1);
        var options = new ProbeOptions(L2: 0.05, MaxIterations: 500);
        var p = LinearProbe.Fit(x, 5, y, 3, options);
        // Gradient of mean CE + λ/2‖W‖² in double at the fitted (W, b), on the standardised inputs.
        var (mean, scale) = p.Standardization;
        var gw = new double[5 * 3];
        var gb = new double[3];
        for (int i = 0; i < 120; i++)
        {
            var z = new double[3];
            var xs = new double[5];
            for (int u = 0; u < 5; u++) xs[u] = (x[i * 5 + u] - mean[u]) * scale[u];
            for (int c = 0; c < 3; c++) { z[c] = p.Bias[c]; for (int u = 0; u < 5; u++) z[c] += xs[u] * p.Weights[u * 3 + c]; }
            double max = z.Max(), s = z.Sum(v => Math.Exp(v - max));
            for (int c = 0; c < 3; c++)
            {
                double g = (Math.Exp(z[c] - max) / s - (c == y[i] ? 1 : 0)) / 120;
                gb[c] += g;
                for (int u = 0; u < 5; u++) gw[u * 3 + c] += g * xs[u];
            }
        }
        for (int k = 0; k < 15; k++) gw[k] += 0.05 * p.Weights[k];
        Assert.True(gw.Concat(gb).Max(Math.Abs) < 1e-4, $"max |∇| = {gw.Concat(gb).Max(Math.Abs)}");
        // The constant unit is standardised to 0 and so carries no weight's effect; its scale is 0.
        Assert.Equal(0f, scale[4]);
    }

    [Fact]
    public void SeparableClassesAreReadPerfectlyAndRandomLabelsAreNot()
    {
        var (x, y) = Blobs(600, 2);
        for (int i = 0; i < 600; i++) x[i * 5 + y[i]] += 10f; // far apart: linearly separable in practice
        var layer = new ActivationMatrix("h", x, 600, 5);
        var good = LinearProbe.TrainTest(layer, y, 3, new ProbeOptions(Seed: 3));
        Assert.Equal(1.0, good.TestAccuracy);
        Assert.Equal((480, 120), (good.TrainRows, good.TestRows));
        var rng = new Rng(4);
        var random = y.Select(_ => rng.NextInt(3)).ToArray();
        var bad = LinearProbe.TrainTest(layer, random, 3, new ProbeOptions(Seed: 3));
        // 120 test rows at chance 1/3: 0.55 is > 4 standard deviations (0.043) above it.
        Assert.True(bad.TestAccuracy < 0.55, $"random labels gave test accuracy {bad.TestAccuracy}");
    }

    [Fact]
    public void ProbesRefuseBadOptions()
    {
        var layer = new ActivationMatrix("h", [1, 2, 3, 4], 4, 1);
        Assert.Throws<InvalidInputException>(() => LinearProbe.TrainTest(layer, [0, 1, 0, 1], 2, new ProbeOptions(TestFraction: 1)));
        Assert.Throws<InvalidInputException>(() => LinearProbe.TrainTest(layer, [0, 1, 0, 1], 2, new ProbeOptions(L2: -1)));
        Assert.Throws<ArgumentException>(() => LinearProbe.TrainTest(layer, [0, 1, 0], 2));
    }
}
