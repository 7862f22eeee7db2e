using Nonlinear.Interpret.Sae;
using Xunit;
using static Nonlinear.Tests.Interpret.Sae.SaeFixtures;

namespace Nonlinear.Tests.Interpret.Sae;

/// <summary>JumpReLU's straight-through threshold gradient against its defining formula (Rajamanoharan et al. 2024, eq. 11–12).</summary>
public sealed class JumpReluSteTests
{
    [Fact]
    public void ThresholdGradientIsTheRectangleKernelFormula()
    {
        var cfg = Config("jumprelu") with { Bandwidth = 0.4 };   // wide window: many entries inside it
        var p = Params<double>(cfg, 8);
        var s = Step(cfg, p);
        s.G = new SaeParams<double>(cfg);
        cfg.Architecture.Loss(s);
        int m = DSae, o = cfg.DOut;
        double eps = cfg.Bandwidth, lambda = cfg.SparsityCoefficient;
        int inWindow = 0;
        for (int i = 0; i < m; i++)
        {
            double theta = Math.Exp(p["log_threshold"][i]), expected = 0;
            for (int r = 0; r < N; r++)
            {
                double a = Math.Max(s.Pre[r * m + i], 0);
                if (Math.Abs(a - theta) >= eps / 2) continue;   // K((a − θ)/ε) = 1[|a − θ| < ε/2]
                inWindow++;
                double df = 0;
                for (int j = 0; j < o; j++) df += s.DXHat[r * o + j] * p.WDec[i * o + j];
                // ∂L/∂θ = Σ_n −(θ/ε)K·∂L/∂f − (λ/N)(1/ε)K, and ∂θ/∂log θ = θ.
                expected += (-(theta / eps) * df - lambda / N / eps) * theta;
            }
            Assert.Equal(expected, s.G["log_threshold"][i], 12);
        }
        Assert.True(inWindow >= 5, $"only {inWindow} entries in the window; the test would check little");
    }

    [Fact]
    public void ForwardIsReluTimesStep()
    {
        var cfg = Config("jumprelu");
        var p = Params<double>(cfg, 9);
        var s = Step(cfg, p);
        cfg.Architecture.Encode(s);
        for (int r = 0; r < N; r++)
            for (int i = 0; i < DSae; i++)
            {
                double pre = s.Pre[r * DSae + i], theta = Math.Exp(p["log_threshold"][i]);
                Assert.Equal(pre > theta ? pre : 0, s.Codes.Get(r, i));
            }
    }
}
