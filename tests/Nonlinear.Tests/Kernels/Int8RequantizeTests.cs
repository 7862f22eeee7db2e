using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

public class Int8RequantizeTests
{
    private static readonly SimdTier[] Tiers = [SimdTier.Scalar, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512, SimdTier.Auto];

    [Fact]
    public void QuantizeRoundsHalfToEvenAndSaturates()
    {
        float s = 0.5f;
        // x/s = 1.5 → 2, 2.5 → 2 (half away from zero would give 3), −0.5 → −0 → zp, 1e9 → 255, −1e9 → 0, NaN → 255 (documented), ties at the clamp.
        float[] x = [0.75f, 1.25f, -0.25f, 1e9f, -1e9f, float.NaN, 0f, -5f, 125f, 0.25f];
        var expected = new byte[] { 12, 12, 10, 255, 0, 255, 10, 0, 255, 10 };
        foreach (var tier in Tiers)
        {
            var q = new byte[x.Length];
            Int8Requantize.Quantize(tier, x, s, 10, q);
            Assert.Equal(expected, q);
        }
    }

    /// <summary>Every tier gives the bits of a double-precision reference of the same float operations, on lengths 0..40 (all tails).</summary>
    [Fact]
    public void QuantizeEqualsReferenceOnEveryTierAndLength()
    {
        var rng = new Rng(5);
        for (int len = 0; len <= 40; len++)
        {
            var x = Enumerable.Range(0, len).Select(_ => (float)(rng.NextGaussian() * 40)).ToArray();
            float scale = 0.137f;
            int zp = 117;
            var want = x.Select(v => (byte)Math.Clamp(Math.Round((double)(v / scale), MidpointRounding.ToEven) + zp, 0, 255)).ToArray();
            foreach (var tier in Tiers)
            {
                var q = new byte[len];
                Int8Requantize.Quantize(tier, x, scale, zp, q);
                Assert.Equal(want, q);
            }
        }
    }

    [Fact]
    public void ToUInt8AndToFloatAgreeAcrossTiersAndWithReference()
    {
        var rng = new Rng(9);
        foreach (var (rows, cols) in new[] { (1, 1), (3, 7), (2, 8), (5, 19), (4, 64) })
        {
            var acc = Enumerable.Range(0, rows * cols).Select(i => i % 11 == 0 ? int.MaxValue - 5 : (int)(rng.NextGaussian() * 20000)).ToArray();
            var off = Enumerable.Range(0, cols).Select(_ => (int)(rng.NextGaussian() * 3000)).ToArray();
            var mul = Enumerable.Range(0, cols).Select(_ => (float)(rng.NextDouble() * 0.01)).ToArray();
            var scale = Enumerable.Range(0, cols).Select(_ => (float)(rng.NextDouble() * 1e-3)).ToArray();
            var bias = Enumerable.Range(0, cols).Select(_ => (float)rng.NextGaussian()).ToArray();
            int zp = 3;
            var wantQ = new byte[rows * cols];
            var wantY = new float[rows * cols];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++)
                {
                    int s = unchecked(acc[r * cols + j] + off[j]);
                    float v = (float)s * mul[j];
                    wantQ[r * cols + j] = (byte)Math.Clamp(Math.Round((double)v, MidpointRounding.ToEven) + zp, 0, 255);
                    float p = (float)s * scale[j];
                    wantY[r * cols + j] = p + bias[j];
                }
            foreach (var tier in Tiers)
            {
                var q = new byte[rows * cols];
                var y = new float[rows * cols];
                Int8Requantize.ToUInt8(tier, acc, rows, cols, off, mul, zp, q);
                Int8Requantize.ToFloat(tier, acc, rows, cols, off, scale, bias, y);
                Assert.Equal(wantQ, q);
                Assert.Equal(wantY.Select(BitConverter.SingleToInt32Bits), y.Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    [Fact]
    public void LookupUsesOneTablePerChannel()
    {
        var tables = new byte[2 * 256];
        for (int i = 0; i < 256; i++) { tables[i] = (byte)(255 - i); tables[256 + i] = (byte)(i / 2); }
        byte[] x = [0, 0, 10, 10, 255, 255];
        var y = new byte[6];
        Int8Requantize.Lookup(x, tables, 2, y);
        Assert.Equal(new byte[] { 255, 0, 245, 5, 0, 127 }, y);
        Assert.Throws<ArgumentException>(() => Int8Requantize.Lookup(new byte[5], tables, 2, new byte[5]));
    }
}
