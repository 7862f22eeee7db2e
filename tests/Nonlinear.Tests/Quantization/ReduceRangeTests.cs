using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Quantization;

/// <summary>7-bit activation codes (PyTorch's reduce_range), which let the int8 GEMM take AVX2's vpmaddubsw route.</summary>
public class ReduceRangeTests
{
    private static readonly SimdTier[] Tiers = [SimdTier.Scalar, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512, SimdTier.Auto];

    private static Tensor Inputs(ulong seed, int rows, int features)
    {
        var rng = new Rng(seed);
        return Tensor.FromArray(Enumerable.Range(0, rows * features).Select(_ => (float)rng.NextGaussian()).ToArray(), rows, features);
    }

    private static Sequential Mlp(ulong seed) =>
        new(new Linear(20, 64, new Rng(seed)), new ActivationLayer("relu"), new Linear(64, 32, new Rng(seed + 1)),
            new ActivationLayer("gelu"), new Linear(32, 10, new Rng(seed + 2)));

    /// <summary>[−1, 3] over 127 codes: scale 4/127, zero point round(1/(4/127)) = round(31.75) = 32; saturation and NaN at 127.</summary>
    [Fact]
    public void SevenBitParametersAndCodes()
    {
        var q = ActivationQuantization.FromRange(-1, 3, 127);
        Assert.Equal((float)(4.0 / 127), q.Scale);
        Assert.Equal(32, q.ZeroPoint);
        Assert.Equal(127, q.MaxCode);
        Assert.Equal(127, q.Quantize(1e9));
        Assert.Equal(127, q.Quantize(double.NaN));
        Assert.Equal(0, q.Quantize(-1e9));
        Assert.Equal(32, q.Quantize(0));
        Assert.Contains("max_code=127", q.ToString());
        Assert.NotEqual(ActivationQuantization.FromRange(-1, 3), q);
        Assert.Throws<ArgumentException>(() => ActivationQuantization.FromRange(-1, 3, 100));
        // The kernels clamp at 127 on every tier, NaN included.
        float[] x = [1e9f, float.NaN, -1e9f, 0f, 2.99f, 3.5f];
        var want = x.Select(v => q.Quantize(v)).ToArray();
        foreach (var tier in Tiers)
        {
            var codes = new byte[x.Length];
            Int8Requantize.Quantize(tier, x, q.Scale, q.ZeroPoint, codes, q.MaxCode);
            Assert.Equal(want, codes);
            var acc = new[] { int.MaxValue - 5, -1000, 0, 500, 126, 127, 128, 129 };
            var y = new byte[acc.Length];
            Int8Requantize.ToUInt8(tier, acc, 1, acc.Length, new int[acc.Length], Enumerable.Repeat(1f, acc.Length).ToArray(), 0, y, 127);
            Assert.Equal(new byte[] { 127, 0, 0, 127, 126, 127, 127, 127 }, y);
        }
    }

    /// <summary>
    /// With ReduceRange every Linear's input has 7-bit codes and every table input (a Linear's output) keeps 8 bits; the
    /// int8 model still tracks the float one (the 8-bit test's bounds) but less closely than the 8-bit model — which it
    /// could not if the option were ignored — and every tier (the scalar loop, the vpmaddubsw route) gives the same bits.
    /// </summary>
    [Fact]
    public void ReducedRangeModelUsesSevenBitsWhereTheGemmReadsAndIsExactOnEveryTier()
    {
        var model = Mlp(3);
        var calib = Inputs(1, 1000, 20);
        var q7 = PostTrainingQuantizer.Quantize(model, calib, new PtqOptions { ReduceRange = true });
        var q8 = PostTrainingQuantizer.Quantize(model, calib);
        for (int i = 0; i < q7.Layers.Count; i++)
        {
            var l = q7.Layers[i];
            Assert.Equal(l is QuantizedLinear ? 127 : 255, l.Input.MaxCode);
            // A table's output feeds the next Linear (7 bits); a hidden Linear's output feeds a table (8 bits).
            if (l.Output is { } o) Assert.Equal(l is QuantizedActivation ? 127 : 255, o.MaxCode);
        }
        var test = Inputs(2, 500, 20);
        var reference = model.Call(test).ToArray();
        var scalar = q7.Forward(test, SimdTier.Scalar).ToArray();
        foreach (var tier in Tiers) Assert.Equal(scalar, q7.Forward(test, tier).ToArray());
        double rel7 = RelRms(reference, scalar), rel8 = RelRms(reference, q8.Forward(test).ToArray());
        Assert.True(rel7 < 0.05, $"7-bit relative RMS error {rel7:P2}");
        Assert.True(rel7 > rel8, $"7-bit error {rel7:P3} should exceed 8-bit error {rel8:P3}");
    }

    [Fact]
    public void FileRecordsSevenBitCodes()
    {
        var q = PostTrainingQuantizer.Quantize(Mlp(5), Inputs(4, 300, 20), new PtqOptions { ReduceRange = true });
        string path = Path.Combine(Path.GetTempPath(), $"q7-{Guid.NewGuid():N}.safetensors");
        try
        {
            QuantizedModelFile.Save(path, q);
            var (back, meta) = QuantizedModelFile.Load(path);
            Assert.Equal(QuantizedModelFile.FormatReducedRange, meta["format"]);
            Assert.Equal("127", meta["layers.0.input_max_code"]);
            Assert.Equal(q.Layers.Select(l => (l.Input, l.Output)), back.Layers.Select(l => (l.Input, l.Output)));
            var x = Inputs(5, 50, 20);
            Assert.Equal(q.Forward(x).ToArray(), back.Forward(x).ToArray());
        }
        finally { File.Delete(path); }
    }

    private static double RelRms(float[] a, float[] b)
    {
        double err = 0, norm = 0;
        for (int i = 0; i < a.Length; i++) { err += (a[i] - b[i]) * (double)(a[i] - b[i]); norm += (double)a[i] * a[i]; }
        return Math.Sqrt(err / norm);
    }
}
