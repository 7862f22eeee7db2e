using Nonlinear.Quantization.Qat;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Quantization;

/// <summary>
/// LSQ and PACT as layers: their parameter gradients against central differences in double. Both rules are
/// straight-through, so they equal the true derivative only where the rounding plays no part; the tests say where
/// and check the rest against the declared rule. Inputs sit at least 0.02 code steps from every rounding jump and
/// clipping edge, so the ±1e−6 perturbation crosses none of them.
/// </summary>
public class LearnedClippingTests
{
    // Unsigned 4-bit LSQ (Q_P = 15), step 0.1: clipped low (x < 0), clipped high (x/s ≥ 15), and inside.
    private static readonly float[] LsqInputs = [-0.3f, 0.23f, 0.77f, 1.04f, 2.0f, 3.1f, 0.449f, -0.02f, 1.26f, 0.07f, 5f, 0.61f];

    private static double LsqReference(double x, double s, int qp) => Math.Round(Math.Clamp(x / s, 0, qp), MidpointRounding.ToEven) * s;

    [Fact]
    public void LsqStepGradientIsTheExactDerivativeMinusTheStraightThroughTerm()
    {
        var lsq = new LsqQuantizer(4, signed: false);
        lsq.Eval(); // keep the step we set (the data initialisation runs on the first training batch)
        lsq.Step.AsSpan()[0] = 0.1f;
        var g = new float[LsqInputs.Length];
        for (int i = 0; i < g.Length; i++) g[i] = 0.5f + 0.25f * i;
        var x = Tensor.FromArray((float[])LsqInputs.Clone(), 2, 6).RequireGrad();
        (lsq.Call(x) * Tensor.FromArray(g, 2, 6)).Sum().Backward();

        // The exact derivative of Σ G·x̂ (a.e.): round(v) inside, the clip level outside; LSQ adds −v inside (the
        // straight-through round) and scales by g = 1/√(N·Q_P), N = 6 features.
        double s = 0.1f, h = 1e-6, ste = 0;
        double Loss(double step) => LsqInputs.Select((v, i) => g[i] * LsqReference(v, step, 15)).Sum();
        double fd = (Loss(s + h) - Loss(s - h)) / (2 * h);
        for (int i = 0; i < LsqInputs.Length; i++)
        {
            double v = LsqInputs[i] / s;
            if (v > 0 && v < 15) ste += g[i] * v;
        }
        double gscale = 1 / Math.Sqrt(6 * 15.0);
        double expected = (fd - ste) * gscale;
        Assert.True(Math.Abs(lsq.Step.Grad!.ToArray()[0] - expected) < 1e-5 * Math.Max(1, Math.Abs(expected)),
            $"step gradient {lsq.Step.Grad!.ToArray()[0]} vs (finite difference {fd} − straight-through {ste})·{gscale} = {expected}");
        Assert.True(Math.Abs(fd) > 1, $"the exact derivative {fd} should not vanish for these inputs");

        // Input gradient: 1 strictly inside (0, Q_P·s), else 0.
        var dx = x.Grad!.ToArray();
        for (int i = 0; i < LsqInputs.Length; i++)
        {
            double v = LsqInputs[i] / s;
            Assert.Equal(v > 0 && v < 15 ? g[i] : 0f, dx[i]);
        }
    }

    [Fact]
    public void LsqForwardAndPaperInitialisation()
    {
        var lsq = new LsqQuantizer(3, signed: true, LsqTarget.Weights, channels: 2); // Q_N = 4, Q_P = 3
        var w = Tensor.FromArray([0.5f, -1f, 2f, -4f, 0f, 0f, 1f, 1f], 2, 4);
        lsq.Call(w); // first training batch: s_c = 2·mean|w_c|/√Q_P
        var s = lsq.Step.ToArray();
        Assert.Equal((float)(2 * 1.875 / Math.Sqrt(3)), s[0], 6);
        Assert.Equal((float)(2 * 0.5 / Math.Sqrt(3)), s[1], 6);
        lsq.Step.AsSpan()[0] = 0.5f;
        var y = lsq.Call(w).ToArray();
        Assert.Equal([0.5f, -1f, 1.5f, -2f], y[..4]); // 2/0.5 = 4 clips to Q_P = 3, −4/0.5 = −8 to −Q_N = −4
    }

    [Fact]
    public void PactForwardAndInputGradient()
    {
        var pact = new PactQuantizer(2, alpha: 2f); // n = 3 levels of 2/3
        var x = Tensor.FromArray([-1f, 0.2f, 0.9f, 1.5f, 2.5f, 3f], 6).RequireGrad();
        var y = pact.Call(x);
        float[] expected = [0f, 0f, 2f / 3, 4f / 3, 2f, 2f];
        var ys = y.ToArray();
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], ys[i], 6);
        (y * Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 6)).Sum().Backward();
        Assert.Equal([0f, 2f, 3f, 4f, 0f, 0f], x.Grad!.ToArray());
        Assert.Equal(11f, pact.Alpha.Grad!.ToArray()[0]); // 5 + 6: the inputs at or above α
    }

    /// <summary>
    /// PACT's ∂ŷ/∂α = 1{x ≥ α} is exact for inputs outside [0, α) (ŷ = α above, 0 below); inside, the paper's rule drops
    /// the staircase's dependence on α on purpose, so the finite-difference check uses inputs outside [0, α) only.
    /// </summary>
    [Fact]
    public void PactAlphaGradientMatchesFiniteDifferencesOutsideTheRange()
    {
        float[] xs = [-1f, -0.2f, 2.5f, 3f, 4f, -3f];
        float[] g = [0.3f, -1.1f, 0.7f, 2f, -0.4f, 5f];
        var pact = new PactQuantizer(4, alpha: 2f);
        var x = Tensor.FromArray((float[])xs.Clone(), 6).RequireGrad();
        (pact.Call(x) * Tensor.FromArray(g, 6)).Sum().Backward();
        double n = 15;
        double Loss(double a) => xs.Select((v, i) => g[i] * Math.Round(Math.Clamp(v, 0, a) * n / a, MidpointRounding.ToEven) * a / n).Sum();
        double fd = (Loss(2 + 1e-6) - Loss(2 - 1e-6)) / 2e-6;
        Assert.Equal(fd, pact.Alpha.Grad!.ToArray()[0], 5);
        Assert.Equal((double)0.7f + 2f + (double)-0.4f, fd, 9); // the inputs at or above α
    }
}
