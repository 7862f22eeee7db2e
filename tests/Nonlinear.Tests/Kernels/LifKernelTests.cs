using Nonlinear.Kernels;
using Nonlinear.Spiking;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// The vectorised LIF loop (<see cref="LifKernel"/>) against the reference loop (<see cref="LifLoop"/>, the one the
/// finite-difference tests hold to BPTT in double): spikes, membranes and input gradients equal value for value (the
/// same float operations in the same order), β/θ gradients within float summation error (the kernel sums per chunk of
/// samples); and every SIMD tier and thread count gives the same bits. Adaptive (ALIF) neurons included: their θ_eff
/// recurrence runs vectorised with the same operations as the reference loop. Widths 1..19 and 37 cover vector bodies and tails
/// of every tier (16, 8, 4 lanes).
/// </summary>
public sealed class LifKernelTests
{
    public static TheoryData<string, ResetMechanism, NeuronModel, bool, int> Cases()
    {
        var d = new TheoryData<string, ResetMechanism, NeuronModel, bool, int>();
        foreach (var s in SurrogateCatalog.Names)
            foreach (var reset in new[] { ResetMechanism.Subtract, ResetMechanism.Zero, ResetMechanism.None })
            {
                d.Add(s, reset, NeuronModel.Leaky, true, 0);
                d.Add(s, reset, NeuronModel.Synaptic, false, 3);
                d.Add(s, reset, NeuronModel.Adaptive, reset != ResetMechanism.None, reset == ResetMechanism.Zero ? 2 : 0);
            }
        d.Add("fast_sigmoid", ResetMechanism.Subtract, NeuronModel.Leaky, false, 0);
        d.Add("arctan", ResetMechanism.Zero, NeuronModel.Leaky, true, 4);
        return d;
    }

    private sealed record Run(float[] Spikes, float[] Membrane, float[] GIn, float[] GBeta, float[] GTh);

    private static (LifLoop.Config Cfg, float[] Input, float[] Beta, float[] Th, float[] GS, float[] GU) Problem(
        ResetMechanism reset, NeuronModel neuron, bool constant, int truncate, int n, int batch = 11, int steps = 9)
    {
        var o = new LifOptions { Reset = reset, Neuron = neuron, Alpha = 0.7, AdaptationDecay = 0.8, AdaptationStrength = 0.3, TruncateSteps = truncate };
        var cfg = LifLoop.Config.From(o, steps, batch, n, constant);
        var rng = new Rng((ulong)(n * 31 + batch));
        var input = Tensor.Rand(rng, [(constant ? 1 : steps) * batch * n], -0.5f, 1.5f).ToArray();
        // β per neuron around [0, 1], some outside it (clamped, no gradient); θ in [0.5, 1.5].
        var beta = Tensor.Rand(rng, [n], -0.1f, 1.1f).ToArray();
        var th = Tensor.Rand(rng, [n], 0.5f, 1.5f).ToArray();
        var gs = Tensor.Rand(rng, [steps * batch * n], -1f, 1f).ToArray();
        var gu = Tensor.Rand(rng, [steps * batch * n], -1f, 1f).ToArray();
        return (cfg, input, beta, th, gs, gu);
    }

    private static Run Kernel(LifLoop.Config cfg, float[] input, float[] betaRaw, float[] th, float[] gs, float[] gu, SurrogateGradient sur, SimdTier tier)
    {
        int total = cfg.Steps * cfg.Batch * cfg.Neurons;
        var (beta, free) = LifKernel.Job.BetaArrays(betaRaw);
        var job = new LifKernel.Job
        {
            Config = cfg, Input = input, Beta = beta, BetaFree = free, Threshold = th,
            Spikes = new float[total], Membrane = new float[total], Tier = tier,
            ThresholdEff = cfg.Neuron == NeuronModel.Adaptive ? new float[total] : null,
        };
        LifKernel.Forward(job);
        var g = new LifKernel.Gradients
        {
            Spikes = gs, Membrane = gu, Input = new float[cfg.ConstantInput ? cfg.Batch * cfg.Neurons : total],
            Beta = new float[cfg.Neurons], Threshold = new float[cfg.Neurons],
        };
        Assert.True(sur.TryLifBackward(job, g));
        return new Run(job.Spikes, job.Membrane, g.Input, g.Beta!, g.Threshold!);
    }

    private static Run Reference(LifLoop.Config cfg, float[] input, float[] beta, float[] th, float[] gs, float[] gu, SurrogateGradient sur)
    {
        int total = cfg.Steps * cfg.Batch * cfg.Neurons;
        var r = new Run(new float[total], new float[total], new float[cfg.ConstantInput ? cfg.Batch * cfg.Neurons : total], new float[cfg.Neurons], new float[cfg.Neurons]);
        var thEff = cfg.Neuron == NeuronModel.Adaptive ? new float[total] : [];
        LifLoop.Forward<float>(cfg, input, beta, th, r.Spikes, r.Membrane, thEff);
        LifLoop.Backward<float>(cfg, gs, gu, beta, th, r.Spikes, r.Membrane, thEff, sur.Derivative, r.GIn, r.GBeta, r.GTh);
        return r;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReferenceLoopOnEveryTier(string surrogate, ResetMechanism reset, NeuronModel neuron, bool constant, int truncate)
    {
        var sur = SurrogateCatalog.Parse(surrogate);
        foreach (int n in new[] { 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 19, 37 })
        {
            var (cfg, input, beta, th, gs, gu) = Problem(reset, neuron, constant, truncate, n);
            Assert.True(LifKernel.Supports(cfg));
            var want = Reference(cfg, input, beta, th, gs, gu, sur);
            Assert.Contains(1f, want.Spikes);   // the problem fires, so the reset paths run
            Assert.Contains(0f, want.Spikes);
            Run? first = null;
            foreach (var tier in new[] { SimdTier.Scalar, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512 })
            {
                var got = Kernel(cfg, input, beta, th, gs, gu, sur, tier);
                Assert.Equal(want.Spikes, got.Spikes);
                Assert.Equal(want.Membrane, got.Membrane);
                Assert.Equal(want.GIn, got.GIn);
                for (int j = 0; j < n; j++)
                {
                    // Summed in another order (per chunk of samples): float rounding of ~100 terms of magnitude ≤ ~10.
                    Assert.True(Math.Abs(want.GBeta[j] - got.GBeta[j]) <= 1e-5 * (1 + Math.Abs(want.GBeta[j])), $"n={n} {tier} ∂β[{j}]: {got.GBeta[j]} vs {want.GBeta[j]}");
                    Assert.True(Math.Abs(want.GTh[j] - got.GTh[j]) <= 1e-5 * (1 + Math.Abs(want.GTh[j])), $"n={n} {tier} ∂θ[{j}]: {got.GTh[j]} vs {want.GTh[j]}");
                }
                if (first is null) { first = got; continue; }
                Assert.Equal(Bits(first.GBeta), Bits(got.GBeta));
                Assert.Equal(Bits(first.GTh), Bits(got.GTh));
                Assert.Equal(Bits(first.GIn), Bits(got.GIn));
                Assert.Equal(Bits(first.Membrane), Bits(got.Membrane));
            }
        }
    }

    [Fact]
    public void SameBitsForAnyThreadCount()
    {
        var sur = SurrogateCatalog.Parse("sigmoid(5)");
        var (cfg, input, beta, th, gs, gu) = Problem(ResetMechanism.Subtract, NeuronModel.Leaky, true, 0, 33, batch: 45);
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Kernel(cfg, input, beta, th, gs, gu, sur, SimdTier.Auto);
            Parallelism.MaxThreads = 3;
            var three = Kernel(cfg, input, beta, th, gs, gu, sur, SimdTier.Auto);
            Assert.Equal(Bits(one.GBeta), Bits(three.GBeta));
            Assert.Equal(Bits(one.GTh), Bits(three.GTh));
            Assert.Equal(Bits(one.GIn), Bits(three.GIn));
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    private static int[] Bits(float[] a) => a.Select(BitConverter.SingleToInt32Bits).ToArray();
}
