using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Quantization;
using Nonlinear.Quantization.Qat;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Quantization;

/// <summary>Preparing a model for QAT, training it, and converting an 8-bit QAT model to the int8 kernels.</summary>
public class QatTests
{
    private static Sequential Mlp(ulong seed, string activation = "gelu") =>
        new(new Linear(12, 32, new Rng(seed)), new ActivationLayer(activation), new Linear(32, 16, new Rng(seed + 1)),
            new ActivationLayer(activation), new Linear(16, 4, new Rng(seed + 2)));

    // A learnable 4-class problem: labels from a fixed random linear teacher on Gaussian inputs.
    private static (Tensor X, int[] Labels) Data(ulong seed, int rows)
    {
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, rows * 12).Select(_ => (float)rng.NextGaussian()).ToArray();
        var teacher = new Rng(99);
        var t = Enumerable.Range(0, 48).Select(_ => teacher.NextGaussian()).ToArray();
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            double best = double.NegativeInfinity;
            for (int c = 0; c < 4; c++)
            {
                double z = 0;
                for (int k = 0; k < 12; k++) z += t[c * 12 + k] * x[r * 12 + k];
                if (z > best) (best, labels[r]) = (z, c);
            }
        }
        return (Tensor.FromArray(x, rows, 12), labels);
    }

    private static double Train(Module model, int steps, ulong seed = 5)
    {
        var (x, y) = Data(seed, 256);
        var opt = new Adam(model.Parameters(), lr: 1e-2);
        model.Train();
        double last = 0;
        for (int s = 0; s < steps; s++)
        {
            opt.ZeroGrad();
            var loss = Loss.CrossEntropy(model.Call(x), y);
            loss.Backward();
            opt.Step();
            last = loss.Item();
        }
        return last;
    }

    private static double Accuracy(Tensor logits, int[] labels)
    {
        var l = logits.ToArray();
        int cols = logits.Size(1), right = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            int best = 0;
            for (int c = 1; c < cols; c++) if (l[r * cols + c] > l[r * cols + best]) best = c;
            if (best == labels[r]) right++;
        }
        return (double)right / labels.Length;
    }

    [Theory]
    [InlineData("8", "8")]
    [InlineData(" LSQ:4 ", "lsq:4")]
    [InlineData("binary", "binary")]
    [InlineData("ternary", "ternary")]
    [InlineData("2", "2")]
    public void SpecParsesAndPrintsBack(string text, string printed) => Assert.Equal(printed, QatSpec.Parse(text).ToString());

    [Theory]
    [InlineData("1")]
    [InlineData("9")]
    [InlineData("lsq:")]
    [InlineData("int8")]
    public void BadSpecNamesTheOption(string text)
    {
        var e = Assert.Throws<InvalidInputException>(() => QatSpec.Parse(text));
        Assert.StartsWith($"--qat: expected 8, 4, 2", e.Message);
        Assert.Contains($"got '{text}'", e.Message);
    }

    [Fact]
    public void PrepareSharesParametersAndKeepsTheFloatKeys()
    {
        var model = Mlp(1);
        var weight = ((Linear)model[0]).Weight;
        var qat = QuantizationAwareTraining.Prepare(model, QatSpec.Parse("8"));
        Assert.Same(weight, ((QatLinear)((Sequential)qat)[0]).Weight);
        var keys = qat.StateDict().Keys.ToList();
        foreach (var k in model.StateDict().Keys) Assert.Contains(k, keys);
        Assert.Contains("0.input_quant.min_val", keys);
        Assert.Contains("2.output_quant.max_val", keys);
        Assert.DoesNotContain("4.output_quant.max_val", keys); // the logits stay float
        Assert.Equal(model.ParameterCount, qat.ParameterCount);
    }

    [Fact]
    public void PrepareRefusesAConvolutionUnderABinarySchemeByName()
    {
        // Min-max schemes cover Conv2d (QatCnnTests); the binary, ternary and LSQ schemes are for Linear layers only.
        var cnn = new Sequential(new Conv2d(1, 2, 3, new Rng(1)), new Flatten(), new Linear(8, 2, new Rng(2)));
        var e = Assert.Throws<InvalidInputException>(() => QuantizationAwareTraining.Prepare(cnn, QatSpec.Parse("ternary")));
        Assert.Contains("layer '0' is a Conv2d", e.Message);
        Assert.IsType<QatConv2d>(((Sequential)QuantizationAwareTraining.Prepare(cnn, QatSpec.Parse("8")))[0]);
    }

    /// <summary>
    /// The int8 model of an 8-bit QAT network uses the learned ranges as they are and computes what training
    /// simulated: its logits follow the fake-quantized float model's to within a few of the last layer's input codes.
    /// The remaining differences are the int8 path's bias rounding to the accumulator grid, float summation order
    /// against exact integer sums, and lookup tables from the double reference — each can move a code by one where
    /// the value sits within rounding of a tie. Bound: 2 % relative RMS at the logits and the same class for ≥ 99 % of rows.
    /// </summary>
    [Fact]
    public void EightBitQatConvertsToTheInt8ModelItSimulated()
    {
        var qat = QuantizationAwareTraining.Prepare(Mlp(3), QatSpec.Parse("8"));
        Train(qat, 60);
        qat.Eval();
        var q = QatConverter.ToQuantizedModel(qat);
        var seq = (Sequential)qat;
        for (int i = 0; i < 3; i++)
        {
            var l = (QatLinear)seq[2 * i];
            var ql = (QuantizedLinear)q.Layers[2 * i];
            Assert.Equal(((FakeQuantize)l.InputQuantizer!).Quantization, ql.Input);
            Assert.Equal(l.OutputQuantizer is null ? null : ((FakeQuantize)l.OutputQuantizer).Quantization, ql.Output);
            var (codes, _) = QuantizedLinear.QuantizeWeights(l.Weight.ToArray(), l.OutFeatures, l.InFeatures);
            Assert.Equal(codes, ql.Weight.ToArray());
        }
        var (x, labels) = Data(7, 512);
        Tensor fake;
        using (Nonlinear.Autodiff.Autograd.NoGrad()) fake = qat.Call(x);
        var int8 = q.Forward(x);
        var (a, b) = (fake.ToArray(), int8.ToArray());
        double err = 0, norm = 0;
        for (int i = 0; i < a.Length; i++) { err += (a[i] - b[i]) * (double)(a[i] - b[i]); norm += (double)a[i] * a[i]; }
        Assert.True(Math.Sqrt(err / norm) < 0.02, $"relative RMS {Math.Sqrt(err / norm):0.0000}");
        int same = 0;
        for (int r = 0; r < 512; r++)
            if (Argmax(a, r) == Argmax(b, r)) same++;
        Assert.True(same >= 507, $"{same}/512 rows agree");
        Assert.True(Accuracy(int8, labels) > 0.8, $"int8 accuracy {Accuracy(int8, labels)}");
    }

    private static int Argmax(float[] v, int row)
    {
        int best = 0;
        for (int c = 1; c < 4; c++) if (v[row * 4 + c] > v[row * 4 + best]) best = c;
        return best;
    }

    [Theory]
    [InlineData("4")]
    [InlineData("2")]
    [InlineData("lsq:2")]
    [InlineData("binary")]
    [InlineData("ternary")]
    public void LowBitSchemesLearn(string spec)
    {
        var qat = QuantizationAwareTraining.Prepare(Mlp(11, "relu"), QatSpec.Parse(spec));
        Train(qat, 150);
        qat.Eval();
        var (x, labels) = Data(13, 512);
        Tensor logits;
        using (Nonlinear.Autodiff.Autograd.NoGrad()) logits = qat.Call(x);
        // Chance is 25 %; a quantizer whose backward is wrong (no gradient, wrong sign) stays near it.
        Assert.True(Accuracy(logits, labels) > 0.6, $"{spec}: held-out accuracy {Accuracy(logits, labels):P1}");
    }

    [Fact]
    public void ConverterRefusesLowBitAndUntrainedModels()
    {
        var low = QuantizationAwareTraining.Prepare(Mlp(1), QatSpec.Parse("4"));
        Train(low, 1);
        Assert.Contains("8-bit per-channel weights", Assert.Throws<InvalidInputException>(() => QatConverter.ToQuantizedModel(low)).Message);
        var untrained = QuantizationAwareTraining.Prepare(Mlp(1), QatSpec.Parse("8"));
        Assert.Contains("observed no training batch", Assert.Throws<InvalidInputException>(() => QatConverter.ToQuantizedModel(untrained)).Message);
    }
}
