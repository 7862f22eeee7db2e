using Nonlinear.Autodiff;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Export;
using Nonlinear.Kan;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Export;

/// <summary>
/// Learnable units with trained-like (per-channel, non-default) parameters, layers in inference mode, and the MLP, CNN
/// and KAN model kinds end to end: ONNX Runtime's output against the module's own. Tolerance: |Δ| ≤ 1e-5 + 1e-5·|y|
/// for units (a few ulps of ORT's float exp/sin/erf against ours) and 2e-5·max|y| for whole models (GEMMs summing in a
/// different order, over up to 784 terms).
/// </summary>
public sealed class ModelOrtTests
{
    private static float[] Run(Module m, Tensor x, int opset = OnnxExportOptions.DefaultOpset)
    {
        var inShape = x.Shape.ToArray()[1..];
        var bytes = OnnxExporter.ToBytes(m, inShape, new OnnxExportOptions { Opset = opset });
        Tensor y;
        using (Autograd.NoGrad()) y = m.Call(x);
        return Ort.Run(bytes, x.ToArray(), x.Shape.ToArray().Select(d => (long)d).ToArray(), y.Shape.ToArray().Select(d => (long)d).ToArray());
    }

    private static void Compare(Module m, Tensor x, double rtol, double atol, int opset = OnnxExportOptions.DefaultOpset)
    {
        m.Eval();
        Tensor y;
        using (Autograd.NoGrad()) y = m.Call(x);
        var ours = y.ToArray();
        var ort = Run(m, x, opset);
        Assert.Equal(ours.Length, ort.Length);
        for (int i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(ours[i] - ort[i]) <= atol + rtol * Math.Abs(ours[i]), $"{m.GetType().Name} [{i}]: ORT {ort[i]:R}, ours {ours[i]:R}");
    }

    private static void Set(Tensor t, params float[] values) => values.CopyTo(t.AsSpan());

    private static Tensor Inputs(int rows, int cols, float scale = 4f) => Tensor.Rand(new Rng(7), [rows, cols], -scale, scale);

    [Fact]
    public void LearnableUnitsWithTrainedPerChannelParameters()
    {
        var x = Inputs(64, 3);
        var prelu = new PRelu(3); Set(prelu.Weight, 0.1f, -0.3f, 0.6f);
        var apa = new Apa(3); Set(apa.Kappa, 0.7f, 1.4f, 2.1f); Set(apa.Lambda, 0.5f, 1.2f, 0.00001f);
        var apaPlain = new Apa(3, gated: false); Set(apaPlain.Kappa, 0.7f, 1.4f, 2.1f); Set(apaPlain.Lambda, 0.5f, 1.2f, 3f);
        var sau = new Sau(3); Set(sau.Alpha, 0.05f, 0.2f, -0.1f); Set(sau.Sigma, 0.5f, 1.5f, 0.00001f);
        var snake = new Snake(3); Set(snake.Alpha, 0.5f, 0f, 3f);
        var snakeBeta = new SnakeBeta(3); Set(snakeBeta.Alpha, 0.5f, 1f, 3f); Set(snakeBeta.Beta, 2f, 0.3f, 0f);
        var rational = new Rational([0.02f, 0.5f, 0.9f, 0.3f, 0.05f, 0.01f], [0.4f, -0.2f, 0.3f, 0.1f], RationalForm.Safe, 3);
        var rationalAbs = new Rational([0.02f, 0.5f, 0.9f, 0.3f], [-0.4f, 0.2f], RationalForm.AbsSum, 1);
        foreach (Module m in new Module[] { prelu, apa, apaPlain, sau, snake, snakeBeta, rational, rationalAbs })
            Compare(m, x, 1e-5, 1e-5);
    }

    [Fact]
    public void LearnableUnitsBroadcastOverImageChannels()
    {
        var x = Tensor.Rand(new Rng(3), [4, 2, 5, 5], -3f, 3f);
        var prelu = new PRelu(2); Set(prelu.Weight, 0.1f, -0.3f);
        var snake = new Snake(2); Set(snake.Alpha, 0.5f, 2f);
        Compare(prelu, x, 1e-5, 1e-5);
        Compare(snake, x, 1e-5, 1e-5);
    }

    [Fact]
    public void LayersInInferenceMode()
    {
        var rng = new Rng(5);
        var bn = new BatchNorm1d(6);
        Set(bn.RunningMean, 0.5f, -1f, 0f, 2f, 0.1f, -0.2f);
        Set(bn.RunningVar, 1.5f, 0.3f, 2f, 1f, 0.7f, 4f);
        Set(bn.Weight, 1.2f, 0.8f, -0.5f, 1f, 2f, 0.3f);
        Set(bn.Bias, 0.1f, 0f, -0.3f, 0.2f, 0f, 1f);
        var model = new Sequential(new Linear(5, 6, rng), bn, new Dropout(0.5f), new ActivationLayer("elu(0.7)"),
            new LayerNorm(6), new Linear(6, 4, rng, bias: false));
        Compare(model, Inputs(32, 5), 2e-5, 2e-5);
    }

    [Fact]
    public void ConvPoolFlattenNetwork()
    {
        var rng = new Rng(9);
        var model = new Sequential(new Conv2d(2, 3, 3, rng, stride: 1, padding: 1), new ActivationLayer("mish"), new MaxPool2d(2),
            new Conv2d(3, 4, 3, rng, padding: 1, dilation: 2), new AvgPool2d(2, padding: 1), new Flatten(), new Linear(4 * 2 * 2, 3, rng));
        Compare(model, Tensor.Rand(new Rng(2), [3, 2, 8, 8], -1f, 1f), 2e-5, 2e-5);
    }

    [Theory]
    [InlineData("mlp:32,16", "gelu")]
    [InlineData("mlp:24", "pau")]
    [InlineData("mlp:24", "prelu(per_channel=true)")]
    [InlineData("cnn:4,8", "silu")]
    [InlineData("kan:8", null)]
    [InlineData("kan[rbf(centres=6)]:8", null)]
    [InlineData("kan[fourier(frequencies=4)]:8", null)]
    [InlineData("kan[chebyshev(degree=5)]:8", null)]
    [InlineData("skan[bspline,fourier]:6@4", null)]
    public void ModelKindsEndToEnd(string spec, string? activation)
    {
        var model = ModelSpec.Parse(spec, activation).Build(64, 10, new Rng(11));
        var x = Inputs(16, 64, 1.5f);
        model.Eval();
        Tensor y;
        using (Autograd.NoGrad()) y = model.Call(x);
        double scale = y.ToArray().Max(v => Math.Abs(v));
        foreach (int opset in new[] { OnnxExportOptions.MinOpset, OnnxExportOptions.DefaultOpset, OnnxExportOptions.MaxOpset })
            Compare(model, x, 0, 2e-5 * scale, opset);
    }

    [Fact]
    public void KanAfterGridUpdateUsesEachInputsOwnKnots()
    {
        var net = new KanNetwork([3, 4, 2], new KanOptions { GridSize = 6, Bias = true, LayerNorm = false }, new Rng(4));
        var data = Tensor.Rand(new Rng(8), [200, 3], -2.5f, 0.7f);
        net.UpdateGrid(data);
        // Points outside the grid too, where every B-spline is 0 and only the SiLU branch remains.
        var x = Tensor.Rand(new Rng(6), [40, 3], -4f, 3f);
        Compare(net, x, 2e-5, 2e-5);
    }

    [Fact]
    public void UnknownModuleTypeIsRefusedByName()
    {
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(new Sequential(new Identityish()), [2]));
        Assert.Contains("Identityish", e.Message);
        Assert.Throws<InvalidInputException>(() => OnnxExporter.ToBytes(new Flatten(), [2], new OnnxExportOptions { Opset = 16 }));
    }

    private sealed class Identityish : Module
    {
        public override Tensor Forward(Tensor x) => x;
    }
}
