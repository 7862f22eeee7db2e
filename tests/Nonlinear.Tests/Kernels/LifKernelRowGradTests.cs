using Nonlinear.Kernels;
using Nonlinear.Spiking;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// The BPTT loop fed by the Linear above (<see cref="LifKernel.Gradients.OutGrad"/>: each row ∂L/∂S = G·W formed inside
/// the loop) against the same loop fed a precomputed [T, B, N] ∂L/∂S summed in the declared order (c ascending, one
/// product then sums): the same bits for the input, β and θ gradients, on every SIMD tier, for widths with and without
/// vector tails and 1, 3 and 10 outputs.
/// </summary>
public sealed class LifKernelRowGradTests
{
    [Theory]
    [InlineData("fast_sigmoid", ResetMechanism.Subtract, NeuronModel.Leaky, true, 0)]
    [InlineData("arctan", ResetMechanism.Zero, NeuronModel.Synaptic, false, 3)]
    [InlineData("triangle", ResetMechanism.None, NeuronModel.Leaky, false, 0)]
    public void RowsFromTheLayerAboveEqualAPrecomputedSpikeGradient(string surrogate, ResetMechanism reset, NeuronModel neuron, bool constant, int truncate)
    {
        var sur = SurrogateCatalog.Parse(surrogate);
        const int steps = 7, batch = 10;
        foreach (int n in new[] { 1, 5, 8, 17, 37 })
            foreach (int outputs in new[] { 1, 3, 10 })
            {
                var cfg = LifLoop.Config.From(new LifOptions { Reset = reset, Neuron = neuron, Alpha = 0.7, TruncateSteps = truncate }, steps, batch, n, constant);
                var rng = new Rng((ulong)(n * 131 + outputs));
                int rows = steps * batch, total = rows * n;
                var input = Tensor.Rand(rng, [constant ? batch * n : total], -0.5f, 1.5f).ToArray();
                var (beta, free) = LifKernel.Job.BetaArrays(Tensor.Rand(rng, [n], -0.1f, 1.1f).ToArray());
                var th = Tensor.Rand(rng, [n], 0.5f, 1.5f).ToArray();
                var gOut = Tensor.Rand(rng, [rows * outputs], -1f, 1f).ToArray();
                var w = Tensor.Rand(rng, [outputs * n], -1f, 1f).ToArray();
                var gu = Tensor.Rand(rng, [total], -1f, 1f).ToArray();
                var gs = new float[total];
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < n; j++)
                    {
                        float acc = gOut[r * outputs] * w[j];
                        for (int c = 1; c < outputs; c++) acc += gOut[r * outputs + c] * w[c * n + j];
                        gs[r * n + j] = acc;
                    }
                foreach (var tier in new[] { SimdTier.Scalar, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512 })
                {
                    var job = new LifKernel.Job
                    {
                        Config = cfg, Input = input, Beta = beta, BetaFree = free, Threshold = th,
                        Spikes = new float[total], Membrane = new float[total], Tier = tier,
                    };
                    LifKernel.Forward(job);
                    Assert.Contains(1f, job.Spikes);
                    var dense = Backward(sur, job, cfg, gs, null, null, 0, gu);
                    var rowWise = Backward(sur, job, cfg, null, gOut, w, outputs, gu);
                    Assert.Equal(Bits(dense.Input), Bits(rowWise.Input));
                    Assert.Equal(Bits(dense.Beta!), Bits(rowWise.Beta!));
                    Assert.Equal(Bits(dense.Threshold!), Bits(rowWise.Threshold!));
                    Assert.Contains(dense.Input, v => v != 0f);
                }
            }
    }

    private static LifKernel.Gradients Backward(SurrogateGradient sur, LifKernel.Job job, LifLoop.Config cfg, float[]? gs, float[]? gOut, float[]? w, int outputs, float[] gu)
    {
        var g = new LifKernel.Gradients
        {
            Spikes = gs, OutGrad = gOut, Weight = w, Outputs = outputs, Membrane = gu,
            Input = new float[cfg.ConstantInput ? cfg.Batch * cfg.Neurons : cfg.Steps * cfg.Batch * cfg.Neurons],
            Beta = new float[cfg.Neurons], Threshold = new float[cfg.Neurons],
        };
        Assert.True(sur.TryLifBackward(job, g));
        return g;
    }

    private static int[] Bits(float[] a) => a.Select(BitConverter.SingleToInt32Bits).ToArray();
}
