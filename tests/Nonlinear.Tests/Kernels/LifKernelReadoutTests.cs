using Nonlinear.Kernels;
using Nonlinear.Spiking;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// The Linear that runs inside the LIF loops (<see cref="LifKernel.Readout"/>, <see cref="LifKernel.Gradients.WeightGrad"/>):
/// its outputs Y = S·Wᵀ + b and its weight gradient Gᵀ·S equal the declared summation orders written out here, bit for
/// bit, on every SIMD tier and thread count, and the exact sums in double to float rounding; the spikes and membranes
/// are those of the loop without it. Widths with and without 8-lane tails, 1 to 10 outputs (blocks of 4 and remainders).
/// </summary>
public sealed class LifKernelReadoutTests
{
    private static readonly SimdTier[] Tiers = [SimdTier.Scalar, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512];

    private static int[] Bits(float[] a) => a.Select(BitConverter.SingleToInt32Bits).ToArray();

    private static (LifLoop.Config Cfg, float[] Input, float[] Beta, float[] Free, float[] Th, float[] W, float[] Bias) Problem(int n, int outputs, NeuronModel neuron, int steps = 6, int batch = 19)
    {
        var cfg = LifLoop.Config.From(new LifOptions { Neuron = neuron, Alpha = 0.7 }, steps, batch, n, constantInput: true);
        var rng = new Rng((ulong)(n * 17 + outputs));
        var input = Tensor.Rand(rng, [batch * n], -0.5f, 1.5f).ToArray();
        var (beta, free) = LifKernel.Job.BetaArrays(Tensor.Rand(rng, [n], 0.5f, 1f).ToArray());
        var th = Tensor.Rand(rng, [n], 0.5f, 1.5f).ToArray();
        var w = Tensor.Rand(rng, [outputs * n + 2], -1f, 1f).ToArray(); // offset 2 into the storage
        var bias = Tensor.Rand(rng, [outputs], -1f, 1f).ToArray();
        return (cfg, input, beta, free, th, w, bias);
    }

    private static LifKernel.Job Job(LifLoop.Config cfg, float[] input, float[] beta, float[] free, float[] th, SimdTier tier, LifKernel.Readout? readout)
    {
        int total = cfg.Steps * cfg.Batch * cfg.Neurons;
        return new LifKernel.Job
        {
            Config = cfg, Input = input, Beta = beta, BetaFree = free, Threshold = th, Spikes = new float[total], Membrane = new float[total], Tier = tier,
            ThresholdEff = cfg.Neuron == NeuronModel.Adaptive ? new float[total] : null, Linear = readout,
        };
    }

    [Theory]
    [InlineData(NeuronModel.Leaky)]
    [InlineData(NeuronModel.Adaptive)]
    public void ForwardRowsFollowTheDeclaredOrderOnEveryTier(NeuronModel neuron)
    {
        foreach (int n in new[] { 1, 7, 8, 13, 16, 37 })
            foreach (int outputs in new[] { 1, 3, 4, 6, 10 })
            {
                var (cfg, input, beta, free, th, w, bias) = Problem(n, outputs, neuron);
                int rows = cfg.Steps * cfg.Batch;
                var plain = Job(cfg, input, beta, free, th, SimdTier.Scalar, null);
                LifKernel.Forward(plain);
                Assert.Contains(1f, plain.Spikes);
                Assert.Contains(0f, plain.Spikes);
                var want = new float[rows * outputs];
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < outputs; c++)
                    {
                        // Eight lane sums over the first n − n mod 8 neurons, the fixed tree, the tail in order, the bias.
                        var p = new float[8];
                        int n8 = n - n % 8;
                        for (int j = 0; j < n8; j++) p[j % 8] += plain.Spikes[r * n + j] * w[2 + c * n + j];
                        float sum = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
                        double exact = bias[c];
                        for (int j = n8; j < n; j++) sum += plain.Spikes[r * n + j] * w[2 + c * n + j];
                        for (int j = 0; j < n; j++) exact += (double)plain.Spikes[r * n + j] * w[2 + c * n + j];
                        want[r * outputs + c] = sum + bias[c];
                        Assert.Equal(exact, want[r * outputs + c], 1e-5 * (1 + n));
                    }
                foreach (var tier in Tiers)
                    foreach (int threads in new[] { 1, 3 })
                    {
                        int saved = Parallelism.MaxThreads;
                        Parallelism.MaxThreads = threads;
                        try
                        {
                            var y = new float[rows * outputs];
                            var job = Job(cfg, input, beta, free, th, tier, new LifKernel.Readout { Weight = w, WeightOffset = 2, Bias = bias, Outputs = outputs, Output = y });
                            LifKernel.Forward(job);
                            Assert.Equal(plain.Spikes, job.Spikes);
                            Assert.Equal(Bits(plain.Membrane), Bits(job.Membrane));
                            Assert.True(Bits(want).SequenceEqual(Bits(y)), $"n={n} C={outputs} {tier} threads={threads}");
                        }
                        finally { Parallelism.MaxThreads = saved; }
                    }
            }
    }

    [Fact]
    public void WeightGradientFollowsTheDeclaredOrderOnEveryTierAndThreadCount()
    {
        var sur = SurrogateCatalog.Parse("fast_sigmoid");
        foreach (int n in new[] { 1, 9, 16, 37 })
            foreach (int outputs in new[] { 1, 5, 10 })
            {
                var (cfg, input, beta, free, th, w, _) = Problem(n, outputs, NeuronModel.Leaky);
                int rows = cfg.Steps * cfg.Batch, batch = cfg.Batch;
                var g = Tensor.Rand(new Rng((ulong)n), [rows * outputs + 1], -1f, 1f).ToArray(); // offset 1
                var plain = Job(cfg, input, beta, free, th, SimdTier.Scalar, null);
                LifKernel.Forward(plain);
                // Per element: the chunk's partial += G·S over its samples ascending, t ascending; the partials added in chunk order.
                var want = new float[outputs * n];
                int chunks = (batch + LifKernel.RowsPerChunk - 1) / LifKernel.RowsPerChunk;
                for (int k = 0; k < chunks; k++)
                {
                    var part = new float[outputs * n];
                    for (int b = k * LifKernel.RowsPerChunk; b < Math.Min(batch, (k + 1) * LifKernel.RowsPerChunk); b++)
                        for (int c = 0; c < outputs; c++)
                            for (int j = 0; j < n; j++)
                                for (int t = 0; t < cfg.Steps; t++) part[c * n + j] += g[1 + (t * batch + b) * outputs + c] * plain.Spikes[(t * batch + b) * n + j];
                    for (int i = 0; i < want.Length; i++) want[i] += part[i];
                }
                for (int i = 0; i < want.Length; i++)
                {
                    double exact = 0;
                    for (int r = 0; r < rows; r++) exact += (double)g[1 + r * outputs + i / n] * plain.Spikes[r * n + i % n];
                    Assert.Equal(exact, want[i], 1e-5 * (1 + rows));
                }
                Assert.Contains(want, v => v != 0f);
                foreach (var tier in Tiers)
                    foreach (int threads in new[] { 1, 3 })
                    {
                        int saved = Parallelism.MaxThreads;
                        Parallelism.MaxThreads = threads;
                        try
                        {
                            var job = Job(cfg, input, beta, free, th, tier, null);
                            LifKernel.Forward(job);
                            var gw = new float[outputs * n];
                            var grads = new LifKernel.Gradients
                            {
                                OutGrad = g, OutGradOffset = 1, Weight = w, WeightOffset = 2, Outputs = outputs, WeightGrad = gw,
                                Input = new float[batch * n],
                            };
                            Assert.True(sur.TryLifBackward(job, grads));
                            Assert.True(Bits(want).SequenceEqual(Bits(gw)), $"n={n} C={outputs} {tier} threads={threads}");
                        }
                        finally { Parallelism.MaxThreads = saved; }
                    }
            }
    }
}
