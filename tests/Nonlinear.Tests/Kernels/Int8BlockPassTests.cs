using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// The int8 model's schedule: a batch cut into blocks of rows, each block through the whole network on one thread. Its
/// logits must be the bits of the plain schedule (each layer over the whole batch on one thread, scalar tier) for any
/// thread count, batch size and tier: the blocking may change where work runs, never what it computes.
/// </summary>
public class Int8BlockPassTests
{
    private static QuantizedModel Model(bool sevenBit)
    {
        var mlp = new Sequential(new Linear(37, 70, new Rng(11)), new ActivationLayer("relu"), new Linear(70, 33, new Rng(12)),
            new ActivationLayer("gelu"), new Linear(33, 10, new Rng(13)));
        return PostTrainingQuantizer.Quantize(mlp, Tensor.FromArray(Inputs(7, 400, 37), 400, 37), new PtqOptions { ReduceRange = sevenBit });
    }

    private static float[] Inputs(ulong seed, int rows, int features, float spread = 1f)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, rows * features).Select(_ => spread * (float)rng.NextGaussian()).ToArray();
    }

    // Quantize, then every layer over all rows, on the calling thread.
    private static float[] PlainSchedule(QuantizedModel q, float[] x, int rows)
    {
        int widest = q.Layers.Max(l => Math.Max(l.InFeatures, l.OutFeatures));
        var a = new byte[rows * widest];
        var b = new byte[rows * widest];
        var y = new float[rows * q.OutFeatures];
        Int8Requantize.Quantize(SimdTier.Scalar, x, q.Input.Scale, q.Input.ZeroPoint, a, q.Input.MaxCode);
        for (int i = 0; i < q.Layers.Count - 1; i++)
        {
            q.Layers[i].Run(a, rows, b, SimdTier.Scalar, threads: 1);
            (a, b) = (b, a);
        }
        q.Layers[^1].Run(a, rows, y, SimdTier.Scalar, threads: 1);
        return y;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogitsAreTheSameBitsForEveryThreadCountBatchAndTier(bool sevenBit)
    {
        var q = Model(sevenBit);
        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (int rows in new[] { 1, 2, 3, 5, 8, 63, 64, 65, 130, 257, 1024 })
            {
                // Spread 3 drives inputs past the calibrated range, so saturated codes (0 and 255/127) are in every block.
                var x = Inputs((ulong)rows, rows, q.InFeatures, spread: 3f);
                var want = PlainSchedule(q, x, rows);
                Assert.Contains(want, v => v != 0);
                foreach (int threads in new[] { 1, 2, 3, 4 })
                    foreach (var tier in new[] { SimdTier.Scalar, SimdTier.Auto })
                    {
                        Parallelism.MaxThreads = threads;
                        var y = new float[rows * q.OutFeatures];
                        q.Forward(x, rows, y, tier);
                        Assert.True(want.AsSpan().SequenceEqual(y), $"{rows} rows, {threads} threads, {tier}: logits differ from the plain schedule");
                    }
            }
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    /// <summary>64 rows per block on one thread; with more threads at least two blocks each where the batch allows, in whole 4-row tiles.</summary>
    [Theory]
    [InlineData(1024, 1, 64)]
    [InlineData(10, 1, 10)]
    [InlineData(1024, 2, 64)]
    [InlineData(200, 2, 52)]
    [InlineData(100, 2, 28)]
    [InlineData(8, 2, 4)]
    [InlineData(5, 2, 4)]
    [InlineData(2, 2, 4)]
    [InlineData(1, 2, 4)]
    [InlineData(1024, 8, 64)]
    [InlineData(96, 8, 8)]
    public void BlockRowsRule(int rows, int threads, int expected) => Assert.Equal(expected, QuantizedModel.BlockRows(rows, threads));

    [Fact]
    public void NoRowsIsNoWork()
    {
        var q = Model(sevenBit: false);
        q.Forward(ReadOnlySpan<float>.Empty, 0, Span<float>.Empty);
        Assert.Throws<ArgumentException>(() => q.Forward(new float[q.InFeatures], 2, new float[2 * q.OutFeatures]));
    }
}
