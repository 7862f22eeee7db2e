using Nonlinear.Spiking;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Spiking;

/// <summary>
/// BPTT through the fused loop against central finite differences in double. The Heaviside is replaced by a steep
/// sigmoid σ(k·x) (the loop's test mode) so the loss is smooth; L = Σ gS·S + Σ gU·U with fixed random weights.
/// With a detached reset (snnTorch's default) the true function's derivative differs from BPTT's by design, so the
/// finite differences there run on the same loop with the previous spikes frozen at their base values (written in
/// the test, independently of LifLoop).
/// </summary>
public sealed class LifBpttGradientTests
{
    private const int T = 7, B = 2, N = 3;

    public static TheoryData<ResetMechanism, NeuronModel, bool, int, bool> Cases()
    {
        var d = new TheoryData<ResetMechanism, NeuronModel, bool, int, bool>();
        foreach (var reset in new[] { ResetMechanism.Subtract, ResetMechanism.Zero, ResetMechanism.None })
            foreach (var neuron in new[] { NeuronModel.Leaky, NeuronModel.Synaptic, NeuronModel.Adaptive })
                foreach (bool detach in new[] { true, false })
                    d.Add(reset, neuron, detach, 0, false);
        d.Add(ResetMechanism.Subtract, NeuronModel.Leaky, false, 3, false);
        d.Add(ResetMechanism.Zero, NeuronModel.Synaptic, true, 2, false);
        d.Add(ResetMechanism.Subtract, NeuronModel.Leaky, true, 0, true);
        d.Add(ResetMechanism.Zero, NeuronModel.Adaptive, false, 0, true);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchFiniteDifferences(ResetMechanism reset, NeuronModel neuron, bool detach, int truncate, bool constant)
    {
        var rng = new Rng(17);
        var o = new LifOptions { Reset = reset, Neuron = neuron, DetachReset = detach, TruncateSteps = truncate, Alpha = 0.6, AdaptationDecay = 0.7, AdaptationStrength = 0.3, SmoothSpikeSlope = 4 };
        var c = LifLoop.Config.From(o, T, B, N, constant);
        int total = T * B * N;
        double[] input = Draw(rng, constant ? B * N : total, 0.2, 0.9);
        double[] beta = Draw(rng, N, 0.5, 0.95), threshold = Draw(rng, N, 0.6, 1.2);
        double[] gS = Draw(rng, total, -1, 1), gU = Draw(rng, total, -1, 1);

        var (s0, u0, th0) = Run(c, input, beta, threshold, frozen: null);
        var gIn = new double[input.Length];
        var gBeta = new double[N];
        var gTh = new double[N];
        LifLoop.Backward<double>(c, gS, gU, beta, threshold, s0, u0, th0, _ => throw new InvalidOperationException("smooth mode uses σ′"), gIn, gBeta, gTh);
        Assert.Contains(s0, v => v > 0.5); // the case exercises spikes and resets
        Assert.True(truncate > 0 || gIn.Any(v => Math.Abs(v) > 1e-3));

        // Frozen spikes reproduce a detached reset; truncation is a gradient-only cut, checked by its own expectation below.
        double[]? frozen = detach ? s0 : null;
        double Loss(double[] i, double[] b, double[] th)
        {
            var (s, u, _) = Run(c with { Truncate = 0 }, i, b, th, frozen);
            double l = 0;
            for (int k = 0; k < total; k++) l += gS[k] * s[k] + gU[k] * u[k];
            return l;
        }
        if (truncate == 0)
        {
            Check("input", input, gIn, v => Loss(v, beta, threshold));
            Check("beta", beta, gBeta, v => Loss(input, v, threshold));
            Check("threshold", threshold, gTh, v => Loss(input, beta, v));
        }
        else
        {
            // With truncation K, ∂L/∂I[t] only sees the loss terms of steps in t's window: FD on the loss restricted to the window.
            for (int t = 0; t < T; t++)
            {
                int end = (t / truncate + 1) * truncate;
                double Windowed(double[] i)
                {
                    var (s, u, _) = Run(c with { Truncate = 0 }, i, beta, threshold, frozen);
                    double l = 0;
                    for (int k = t * B * N; k < Math.Min(end, T) * B * N; k++) l += gS[k] * s[k] + gU[k] * u[k];
                    return l;
                }
                for (int k = t * B * N; k < (t + 1) * B * N; k++) CheckOne($"input[{k}]", input, k, gIn[k], Windowed);
            }
        }
    }

    private static (double[] S, double[] U, double[] Th) Run(LifLoop.Config c, double[] input, double[] beta, double[] threshold, double[]? frozen)
    {
        int total = c.Steps * c.Batch * c.Neurons;
        var s = new double[total];
        var u = new double[total];
        var th = new double[c.Neuron == NeuronModel.Adaptive ? total : 0];
        if (frozen is null)
        {
            LifLoop.Forward<double>(c, input, beta, threshold, s, u, th);
            return (s, u, th);
        }
        // Independent reference with r[t] = a's drive = the frozen S[t−1].
        int bn = c.Batch * c.Neurons;
        var syn = new double[bn];
        var a = new double[bn];
        for (int t = 0; t < c.Steps; t++)
            for (int i = 0; i < bn; i++)
            {
                int j = i % c.Neurons, k = t * bn + i;
                double r = t > 0 ? frozen[k - bn] : 0, uPrev = t > 0 ? u[k - bn] : 0;
                double cur = c.ConstantInput ? input[i] : input[k];
                if (c.Neuron == NeuronModel.Synaptic) cur = syn[i] = c.Alpha * syn[i] + cur;
                a[i] = c.Rho * a[i] + r;
                double thEff = threshold[j] + (c.Neuron == NeuronModel.Adaptive ? c.AdaptB * a[i] : 0);
                if (th.Length > 0) th[k] = thEff;
                u[k] = c.Reset switch
                {
                    ResetMechanism.Subtract => beta[j] * uPrev + cur - r * threshold[j],
                    ResetMechanism.Zero => beta[j] * (1 - r) * uPrev + cur,
                    _ => beta[j] * uPrev + cur,
                };
                s[k] = 1 / (1 + Math.Exp(-c.SmoothK * (u[k] - thEff)));
            }
        return (s, u, th);
    }

    private static void Check(string what, double[] x, double[] grad, Func<double[], double> loss)
    {
        for (int k = 0; k < x.Length; k++) CheckOne($"{what}[{k}]", x, k, grad[k], loss);
    }

    private static void CheckOne(string what, double[] x, int k, double analytic, Func<double[], double> loss)
    {
        const double h = 1e-6;
        var p = (double[])x.Clone();
        p[k] += h;
        double up = loss(p);
        p[k] -= 2 * h;
        double fd = (up - loss(p)) / (2 * h);
        Assert.True(Math.Abs(fd - analytic) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{what}: BPTT {analytic}, finite differences {fd}");
    }

    private static double[] Draw(Rng rng, int n, double lo, double hi) => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();
}
