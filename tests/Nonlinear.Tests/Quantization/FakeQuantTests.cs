using Nonlinear.Kernels;
using Nonlinear.Quantization;
using Nonlinear.Quantization.Qat;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Quantization;

/// <summary>The fake quantizers: forwards against the int8 path bit for bit, backwards against their declared rules.</summary>
public class FakeQuantTests
{
    private static float[] Gaussian(ulong seed, int n, double sd = 1)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(sd * rng.NextGaussian())).ToArray();
    }

    private static void SameBits(float expected, float actual, string where) =>
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"{where}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void EightBitWeightsAreThePtqWeightsDequantizedBitForBit()
    {
        const int rows = 16, cols = 37;
        var w = Gaussian(1, rows * cols, 0.3);
        for (int k = 0; k < cols; k++) w[3 * cols + k] = 0; // an all-zero row takes scale 1
        w[5 * cols + 2] = 1e-30f;                         // a row whose scale is subnormal-small
        var fq = new PerChannelWeightQuantizer(8).Call(Tensor.FromArray(w, rows, cols)).ToArray();
        var (codes, scales) = QuantizedLinear.QuantizeWeights(w, rows, cols);
        for (int i = 0; i < w.Length; i++) SameBits(scales[i / cols] * codes[i], fq[i], $"weight {i}");
    }

    [Fact]
    public void EightBitActivationsAreThePtqCodesDequantizedBitForBit()
    {
        var fq = new FakeQuantize(8);
        var x = Gaussian(2, 4096, 2);
        var y = fq.Call(Tensor.FromArray(x, 64, 64)).ToArray(); // training mode: the first batch sets the range
        var q = ActivationQuantization.FromRange(x.Min(), x.Max());
        Assert.Equal(q, fq.Quantization);
        var codes = new byte[x.Length];
        Int8Requantize.Quantize(SimdTier.Auto, x, q.Scale, q.ZeroPoint, codes);
        for (int i = 0; i < x.Length; i++) SameBits((float)q.Dequantize(codes[i]), y[i], $"value {i}");

        // In eval mode the range stays; values beyond it clip to the end codes, exactly as the int8 path's.
        fq.Eval();
        var wide = Gaussian(3, 1024, 6);
        var yw = fq.Call(Tensor.FromArray(wide, 1024)).ToArray();
        Assert.Equal(q, fq.Quantization);
        var wcodes = new byte[wide.Length];
        Int8Requantize.Quantize(SimdTier.Auto, wide, q.Scale, q.ZeroPoint, wcodes);
        for (int i = 0; i < wide.Length; i++) SameBits((float)q.Dequantize(wcodes[i]), yw[i], $"wide value {i}");
    }

    [Theory]
    [InlineData(-3.0, 5.0)]
    [InlineData(0.0, 7.25)]
    [InlineData(-1e-3, 1e-3)]
    [InlineData(-4.0, -1.0)]
    [InlineData(0.0, 0.0)]
    public void RangeParametersAtEightBitsAreFromRange(double min, double max)
    {
        var (s, z) = FakeQuantize.RangeParameters(min, max, 8);
        Assert.Equal(ActivationQuantization.FromRange(min, max), new ActivationQuantization(s, z));
    }

    [Fact]
    public void MovingAverageObserverFollowsTorchsRule()
    {
        var fq = new FakeQuantize(4, averagingConstant: 0.5f);
        fq.Call(Tensor.FromArray([-1f, 3f], 2));
        fq.Call(Tensor.FromArray([1f, 7f], 2));
        Assert.Equal((0f, 5f), fq.Range); // min −1 + 0.5·(1 − (−1)) = 0, max 3 + 0.5·(7 − 3) = 5
        var (s, z) = fq.ScaleAndZeroPoint;
        Assert.Equal(5f / 15, s);
        Assert.Equal(0, z);
    }

    [Fact]
    public void AffineBackwardPassesOnlyRepresentableValues()
    {
        // scale 0.1, zero point 10, 4-bit codes 0…15: representable x ∈ [−1.0, 0.5].
        var x = Tensor.FromArray([-1.2f, -1.0f, 0.3f, 0.5f, 0.6f], 5).RequireGrad();
        var y = FakeQuantOps.PerTensorAffine(x, 0.1f, 10, 15);
        Assert.Equal([0.1f * -10, 0.1f * -10, 0.1f * 3, 0.1f * 5, 0.1f * 5], y.ToArray());
        (y * Tensor.FromArray([1f, 2f, 3f, 4f, 5f], 5)).Sum().Backward();
        Assert.Equal([0f, 2f, 3f, 4f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void PerChannelBackwardIsStraightThrough()
    {
        var w = Tensor.FromArray(Gaussian(4, 12), 3, 4).RequireGrad();
        var g = Gaussian(5, 12);
        (new PerChannelWeightQuantizer(2).Call(w) * Tensor.FromArray(g, 3, 4)).Sum().Backward();
        Assert.Equal(g, w.Grad!.ToArray());
    }

    [Fact]
    public void BinaryAndTernaryActivationsAndTheirClippedStraightThroughBackward()
    {
        float[] xs = [-2f, -1f, -0.6f, -0.5f, 0f, 0.4f, 0.6f, 1f, 1.5f];
        var x = Tensor.FromArray(xs, xs.Length).RequireGrad();
        var b = new BinaryActivationQuantizer().Call(x);
        Assert.Equal([-1f, -1f, -1f, -1f, -1f, 1f, 1f, 1f, 1f], b.ToArray());
        b.Sum().Backward();
        Assert.Equal([0f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 0f], x.Grad!.ToArray());

        var x2 = Tensor.FromArray(xs, xs.Length).RequireGrad();
        var t = new TernaryActivationQuantizer(0.5f).Call(x2);
        Assert.Equal([-1f, -1f, -1f, 0f, 0f, 0f, 1f, 1f, 1f], t.ToArray());
        t.Sum().Backward();
        Assert.Equal([0f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 0f], x2.Grad!.ToArray());
    }

    [Fact]
    public void TernaryWeightsFollowTwn()
    {
        // mean|W| = 0.55, Δ = 0.385: −0.9 and 1.0 survive with α = 0.95; second row all zero stays zero.
        var w = Tensor.FromArray([0.1f, -0.9f, 1.0f, 0.2f, 0f, 0f, 0f, 0f], 2, 4).RequireGrad();
        var y = new TernaryWeightQuantizer().Call(w);
        Assert.Equal([0f, -0.95f, 0.95f, 0f, 0f, 0f, 0f, 0f], y.ToArray());
        (y * Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], 2, 4)).Sum().Backward();
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], w.Grad!.ToArray());
    }

    /// <summary>
    /// XNOR-Net weights: Ŵ = α·sgn(W), α = mean|W| per row. The backward is the exact derivative through α plus the
    /// clipped straight-through term g·α·1{|W| ≤ 1} for sgn; sgn is constant away from 0, so a central difference in double
    /// of Σ G·Ŵ (weights at least 0.05 from 0, step 1e−6) sees only the α part: backward − STE term = FD. Tolerance 1e−5:
    /// the backward accumulates in double but returns float32 gradients of magnitude ≈ 1.
    /// </summary>
    [Fact]
    public void BinaryWeightGradientIsExactThroughAlphaPlusStraightThrough()
    {
        const int rows = 3, cols = 5;
        var w = Gaussian(6, rows * cols).Select(v => Math.Abs(v) < 0.05f ? v + (v >= 0 ? 0.1f : -0.1f) : v).ToArray();
        var g = Gaussian(7, rows * cols);
        var wt = Tensor.FromArray((float[])w.Clone(), rows, cols).RequireGrad();
        var y = new BinaryWeightQuantizer().Call(wt);
        var alpha = new double[rows];
        for (int j = 0; j < rows; j++) alpha[j] = w.Skip(j * cols).Take(cols).Average(v => Math.Abs((double)v));
        for (int i = 0; i < w.Length; i++) Assert.Equal((float)(w[i] >= 0 ? alpha[i / cols] : -alpha[i / cols]), y.ToArray()[i], 6);
        (y * Tensor.FromArray(g, rows, cols)).Sum().Backward();
        var grad = wt.Grad!.ToArray();

        double Loss(double[] v)
        {
            double s = 0;
            for (int j = 0; j < rows; j++)
            {
                double a = 0;
                for (int k = 0; k < cols; k++) a += Math.Abs(v[j * cols + k]);
                a /= cols;
                for (int k = 0; k < cols; k++) s += g[j * cols + k] * (v[j * cols + k] >= 0 ? a : -a);
            }
            return s;
        }
        for (int i = 0; i < w.Length; i++)
        {
            var p = w.Select(v => (double)v).ToArray();
            var m = (double[])p.Clone();
            p[i] += 1e-6; m[i] -= 1e-6;
            double fd = (Loss(p) - Loss(m)) / 2e-6;
            double ste = Math.Abs(w[i]) <= 1 ? g[i] * alpha[i / cols] : 0;
            Assert.True(Math.Abs(grad[i] - ste - fd) < 1e-5, $"weight {i}: backward {grad[i]} − STE {ste} vs finite difference {fd}");
        }
    }
}
