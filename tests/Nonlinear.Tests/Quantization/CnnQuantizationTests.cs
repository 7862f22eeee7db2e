using Nonlinear.Data;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Quantization;

/// <summary>Post-training int8 quantization of the CNN kind: the int8 convolution, max pooling on codes, the whole network, its file.</summary>
public class CnnQuantizationTests
{
    private static Tensor Inputs(ulong seed, int rows, int features, double scale = 1)
    {
        var rng = new Rng(seed);
        return Tensor.FromArray(Enumerable.Range(0, rows * features).Select(_ => (float)(scale * rng.NextGaussian())).ToArray(), rows, features);
    }

    private static Module Cnn(string spec, int side, ulong seed, string activation = "relu") =>
        ModelSpec.Parse(spec, activation).Build(side * side, 10, new Rng(seed));

    public static TheoryData<int, int, int, int, int, int> Windows => new()
    {
        // kernel, stride, padding, dilation, height, width
        { 3, 1, 1, 1, 7, 6 },
        { 3, 2, 1, 1, 9, 8 },
        { 2, 1, 0, 2, 6, 7 },
        { 1, 1, 0, 1, 5, 5 },
        { 5, 3, 2, 1, 11, 4 },
    };

    /// <summary>
    /// The accumulator of the int8 convolution (im2col on codes with z_x in the padding, then the int8 GEMM) equals a
    /// direct int64 convolution of (x_q − z_x) with W_q plus the integer bias, exactly, on the scalar and SIMD paths; and
    /// its output codes are the documented requantization of that integer.
    /// </summary>
    [Theory]
    [MemberData(nameof(Windows))]
    public void Int8ConvEqualsTheInt64Reference(int kernel, int stride, int padding, int dilation, int height, int width)
    {
        var rng = new Rng((ulong)(kernel * 1000 + stride * 100 + padding * 10 + dilation));
        int cin = 3, cout = 5, rows = 2;
        var window = Window2d.Square(kernel, stride, padding, dilation);
        var (oh, ow) = window.OutputSize(height, width);
        // Full-range codes and weights, including the extremes, so a saturating or sign-confused path shows.
        var w = Enumerable.Range(0, cout * cin * kernel * kernel).Select(i => (sbyte)(i % 7 == 0 ? (i % 2 == 0 ? 127 : -127) : rng.NextInt(255) - 127)).ToArray();
        var x = Enumerable.Range(0, rows * cin * height * width).Select(i => (byte)(i % 11 == 0 ? 255 : rng.NextInt(256))).ToArray();
        var scales = Enumerable.Range(0, cout).Select(j => 0.01f * (j + 1)).ToArray();
        var bias = Enumerable.Range(0, cout).Select(j => (float)(rng.NextGaussian() * 0.3)).ToArray();
        var input = new ActivationQuantization(0.05f, 37);
        var output = new ActivationQuantization(0.2f, 120);
        var layer = new QuantizedConv2d(w, scales, bias, cin, height, width, window, input, output);
        Assert.Equal(cout * oh * ow, layer.OutFeatures);

        var want = new long[rows * cout * oh * ow];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cout; j++)
            {
                long b = (long)Math.Round(bias[j] / ((double)input.Scale * scales[j]), MidpointRounding.ToEven);
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        long s = b;
                        for (int c = 0; c < cin; c++)
                            for (int ky = 0; ky < kernel; ky++)
                                for (int kx = 0; kx < kernel; kx++)
                                {
                                    int iy = oy * stride - padding + ky * dilation, ix = ox * stride - padding + kx * dilation;
                                    long v = iy >= 0 && iy < height && ix >= 0 && ix < width ? x[((r * cin + c) * height + iy) * width + ix] : input.ZeroPoint;
                                    s += (v - input.ZeroPoint) * w[((j * cin + c) * kernel + ky) * kernel + kx];
                                }
                        want[((r * cout + j) * oh + oy) * ow + ox] = s;
                    }
            }
        foreach (var tier in new[] { SimdTier.Scalar, SimdTier.Auto })
        {
            var acc = layer.Accumulate(x, rows, tier);
            Assert.Equal(want, acc.Select(v => (long)v).ToArray());
            var codes = new byte[rows * layer.OutFeatures];
            layer.Run(x, rows, codes, tier);
            for (int i = 0; i < codes.Length; i++)
            {
                int j = i / (oh * ow) % cout;
                float m = (float)((double)input.Scale * scales[j] / output.Scale);
                float v = (float)want[i] * m;
                int expected = (int)Math.Clamp(MathF.Round(v) + output.ZeroPoint, 0, 255);
                Assert.True(expected == codes[i], $"{tier} code {i}: {codes[i]}, expected {expected} (acc {want[i]})");
            }
        }
    }

    /// <summary>Max pooling on codes is exact: the code of the float maximum, since quantization is non-decreasing.</summary>
    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 1)]
    public void MaxPoolOnCodesEqualsTheCodeOfTheFloatMaxPool(int kernel, int stride, int padding)
    {
        var q = new ActivationQuantization(0.03f, 90);
        int c = 3, h = 7, w = 8, rows = 2;
        var window = Window2d.Square(kernel, stride, padding);
        var x = Inputs(31, rows, c * h * w, 2).ToArray();
        var codes = x.Select(v => q.Quantize(v)).ToArray();
        var pool = new QuantizedMaxPool2d(c, h, w, window, q);
        var got = new byte[rows * pool.OutFeatures];
        pool.Run(codes, rows, got, SimdTier.Auto);
        var floatMax = Ops.MaxPool2d(Tensor.FromArray(x, rows, c, h, w), window).ToArray();
        Assert.Equal(floatMax.Select(v => q.Quantize(v)).ToArray(), got);
        Assert.Equal(q, pool.Output);
    }

    /// <summary>
    /// A random CNN (two conv blocks, 16×16 inputs) quantized with each calibration method tracks its float logits: a
    /// few per cent relative RMS and ≥ 95 % argmax agreement, as for the MLP; a wrong layout (NHWC vs NCHW) or padding
    /// code would be far off.
    /// </summary>
    [Theory]
    [InlineData("minmax", false)]
    [InlineData("percentile", false)]
    [InlineData("mse", true)]
    [InlineData("entropy", false)]
    public void QuantizedCnnTracksTheFloatCnn(string method, bool equalize)
    {
        var model = Cnn("cnn:6,8", 16, 5);
        model.Eval();
        var q = PostTrainingQuantizer.Quantize(model, Inputs(1, 300, 256), new PtqOptions { Method = CalibrationMethods.Get(method), Equalize = equalize });
        Assert.Equal(["QuantizedConv2d", "QuantizedActivation", "QuantizedMaxPool2d", "QuantizedConv2d", "QuantizedActivation", "QuantizedMaxPool2d", "QuantizedLinear"],
            q.Layers.Select(l => l.GetType().Name).ToArray());
        var test = Inputs(2, 200, 256);
        using var _ = Nonlinear.Autodiff.Autograd.NoGrad();
        var (want, got) = (model.Call(test).ToArray(), q.Forward(test).ToArray());
        double err = 0, norm = 0;
        int agree = 0;
        for (int i = 0; i < want.Length; i++) { err += (want[i] - got[i]) * (double)(want[i] - got[i]); norm += want[i] * (double)want[i]; }
        for (int r = 0; r < 200; r++)
            if (ArgMax(want.AsSpan(r * 10, 10)) == ArgMax(got.AsSpan(r * 10, 10))) agree++;
        Assert.True(Math.Sqrt(err / norm) < 0.05, $"{method}: relative RMS error {Math.Sqrt(err / norm):P2}");
        Assert.True(agree >= 190, $"{method}: argmax agreement {agree}/200");
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /// <summary>
    /// Equalization across conv → relu → max pool → conv and conv → relu → pool → flatten → linear keeps the function
    /// (max pooling commutes with a positive per-channel scale) and equalizes each channel's two ranges.
    /// </summary>
    [Fact]
    public void EqualizationThroughPoolingKeepsTheFunction()
    {
        var model = Cnn("cnn:4,6", 8, 9);
        // Unequal channel ranges, as after BatchNorm folding.
        var w0 = model.NamedParameters().First(p => p.Name == "1.weight").Tensor.AsSpan();
        for (int i = 0; i < 9; i++) w0[i] *= 40;
        var net = FloatNetwork.From(model, 64);
        var x = Inputs(12, 20, 64);
        var before = net.Forward(x).ToArray();
        Assert.Equal(2, CrossLayerEqualization.Apply(net));
        var after = net.Forward(x).ToArray();
        for (int i = 0; i < before.Length; i++)
            Assert.True(Math.Abs(before[i] - after[i]) <= 1e-4 * Math.Max(1, Math.Abs(before[i])), $"{i}: {after[i]} vs {before[i]}");
        var (a, b) = (((FloatConv)net.Stages[0]).Matrix, ((FloatConv)net.Stages[3]).Matrix);
        int g = b.In / a.Out;
        for (int c = 0; c < a.Out; c++)
        {
            double r1 = Enumerable.Range(0, a.In).Max(k => Math.Abs(a.Weight[c * a.In + k]));
            double r2 = Enumerable.Range(0, b.Out).SelectMany(j => Enumerable.Range(0, g).Select(t => Math.Abs(b.Weight[j * b.In + c * g + t]))).Max();
            Assert.True(Math.Abs(r1 / r2 - 1) < 0.02, $"channel {c}: ranges {r1} and {r2}");
        }
    }

    /// <summary>A quantized CNN on digits (3 epochs of cnn:8,16) keeps its test accuracy within 1 pp of float.</summary>
    [Fact]
    public void QuantizedCnnOnDigitsKeepsAccuracyWithinOnePoint()
    {
        var (train, test) = DataSources.Load("digits");
        var trainer = new Trainer(Cnn("cnn:8,16", 8, 0), new TrainOptions { Epochs = 3, BatchSize = 32, LearningRate = 3e-3f, Seed = 0 });
        trainer.Fit(train, test);
        var (_, floatAcc) = trainer.Evaluate(test);
        Assert.True(floatAcc > 0.85, $"the float CNN reached only {floatAcc:P1}");
        var calibration = Tensor.FromArray(train.Features.AsSpan(0, 500 * train.FeatureCount).ToArray(), 500, train.FeatureCount);
        foreach (var method in new[] { "minmax", "mse" })
        {
            var q = PostTrainingQuantizer.Quantize(trainer.Model, calibration, new PtqOptions { Method = CalibrationMethods.Get(method) });
            var logits = q.Forward(Tensor.FromArray(test.Features, test.Count, test.FeatureCount));
            double acc = (double)Metrics.CountCorrect(logits, test.Labels!) / test.Count;
            Assert.True(Math.Abs(acc - floatAcc) <= 0.01, $"{method}: int8 {acc:P2} vs float {floatAcc:P2}");
        }
    }

    [Fact]
    public void SaveLoadRoundTripsACnnBitForBit()
    {
        var model = Cnn("cnn:4,8", 8, 3, "gelu");
        var q = PostTrainingQuantizer.Quantize(model, Inputs(4, 200, 64));
        string path = Path.Combine(Path.GetTempPath(), $"qcnn-{Guid.NewGuid():N}.safetensors");
        try
        {
            QuantizedModelFile.Save(path, q);
            var (back, _) = QuantizedModelFile.Load(path);
            var x = Inputs(5, 30, 64);
            Assert.Equal(q.Forward(x).ToArray(), back.Forward(x).ToArray());
            var conv = (QuantizedConv2d)back.Layers[0];
            Assert.Equal((1, 8, 8, 4, 8, 8), (conv.InChannels, conv.Height, conv.Width, conv.OutChannels, conv.OutHeight, conv.OutWidth));
            Assert.Equal(Window2d.Square(3, 1, 1), conv.Window);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LayersOutsideTheIntegerPathAreRefusedByName()
    {
        var avg = new Sequential(new CnnKind.ToImage(4), new Conv2d(1, 2, 3, new Rng(1), padding: 1), new AvgPool2d(2), new Flatten(), new Linear(8, 2, new Rng(2)));
        var e = Assert.Throws<InvalidInputException>(() => PostTrainingQuantizer.Quantize(avg, Inputs(1, 5, 16)));
        Assert.Contains("'2'", e.Message);
        Assert.Contains("AvgPool2d", e.Message);
        var noFlatten = new Sequential(new CnnKind.ToImage(4), new Conv2d(1, 2, 3, new Rng(1), padding: 1), new Linear(4, 2, new Rng(2)));
        Assert.Contains("Flatten", Assert.Throws<InvalidInputException>(() => PostTrainingQuantizer.Quantize(noFlatten, Inputs(1, 5, 16))).Message);
        // A PReLU with a different slope per channel would need per-channel tables indexed by NCHW channel.
        var prelu = new Nonlinear.Layers.Learnable.PRelu(2, 0.25f);
        prelu.Weight.AsSpan()[1] = 0.5f;
        var perChannel = new Sequential(new CnnKind.ToImage(4), new Conv2d(1, 2, 3, new Rng(1), padding: 1), prelu, new Flatten(), new Linear(32, 2, new Rng(2)));
        Assert.Contains("per-channel", Assert.Throws<InvalidInputException>(() => PostTrainingQuantizer.Quantize(perChannel, Inputs(1, 5, 16))).Message);
    }
}
