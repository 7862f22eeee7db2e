using System.Text.Json;
using Nonlinear.Layers;
using Nonlinear.Tensors;
using Nonlinear.Tests.Optim;
using Xunit;

namespace Nonlinear.Tests.Layers;

/// <summary>
/// Linear, LayerNorm and BatchNorm1d forward and backward against torch 1.13 (fixtures/optim_torch.json, same inputs and
/// weights). Bound: 8 ulp of the tensor's largest magnitude — every output is a reduction over ≤ 15 float terms
/// that torch sums in float32 in its own order (≤ ~n/2 ulp of the largest partial sum) while we sum in double.
/// </summary>
public class LayerGoldenTests
{
    private const double Ulps = 8;
    private static JsonElement Case(string name) => TorchGolden.Root.GetProperty("layers").GetProperty(name);

    [Fact]
    public void LinearMatchesTorch()
    {
        var c = Case("linear");
        var lin = new Linear(3, 2, new Rng(1));
        c.GetProperty("w").Floats().CopyTo(lin.Weight.AsSpan());
        c.GetProperty("b").Floats().CopyTo(lin.Bias!.AsSpan());
        var x = Tensor.FromArray(c.GetProperty("x").Floats(), 4, 3).RequireGrad();
        var y = lin.Forward(x);
        y.Backward(Tensor.FromArray(c.GetProperty("gout").Floats(), 4, 2));
        TorchGolden.AssertClose(c.GetProperty("y").Floats(), y.ToArray(), Ulps, "y");
        TorchGolden.AssertClose(c.GetProperty("gx").Floats(), x.Grad!.ToArray(), Ulps, "gx");
        TorchGolden.AssertClose(c.GetProperty("gw").Floats(), lin.Weight.Grad!.ToArray(), Ulps, "gw");
        TorchGolden.AssertClose(c.GetProperty("gb").Floats(), lin.Bias.Grad!.ToArray(), Ulps, "gb");
    }

    [Theory]
    [InlineData("layernorm")]
    [InlineData("layernorm3d")]
    public void LayerNormMatchesTorch(string name)
    {
        var c = Case(name);
        var shape = c.GetProperty("shape").Ints();
        var ln = new LayerNorm(shape[^1]);
        c.GetProperty("w").Floats().CopyTo(ln.Weight!.AsSpan());
        c.GetProperty("b").Floats().CopyTo(ln.Bias!.AsSpan());
        var x = Tensor.FromArray(c.GetProperty("x").Floats(), shape).RequireGrad();
        var y = ln.Forward(x);
        y.Backward(Tensor.FromArray(c.GetProperty("gout").Floats(), shape));
        TorchGolden.AssertClose(c.GetProperty("y").Floats(), y.ToArray(), Ulps, "y");
        TorchGolden.AssertClose(c.GetProperty("gx").Floats(), x.Grad!.ToArray(), Ulps, "gx");
        TorchGolden.AssertClose(c.GetProperty("gw").Floats(), ln.Weight.Grad!.ToArray(), Ulps, "gw");
        TorchGolden.AssertClose(c.GetProperty("gb").Floats(), ln.Bias.Grad!.ToArray(), Ulps, "gb");
    }

    [Theory]
    [InlineData("batchnorm")]
    [InlineData("batchnorm3d")]
    public void BatchNormMatchesTorchInTrainingAndEval(string name)
    {
        var c = Case(name);
        var shape = c.GetProperty("shape").Ints();
        var bn = new BatchNorm1d(shape[1]);
        c.GetProperty("w").Floats().CopyTo(bn.Weight.AsSpan());
        c.GetProperty("b").Floats().CopyTo(bn.Bias.AsSpan());
        var x = Tensor.FromArray(c.GetProperty("x").Floats(), shape).RequireGrad();
        var y = bn.Forward(x);
        y.Backward(Tensor.FromArray(c.GetProperty("gout").Floats(), shape));
        TorchGolden.AssertClose(c.GetProperty("y").Floats(), y.ToArray(), Ulps, "y");
        TorchGolden.AssertClose(c.GetProperty("gx").Floats(), x.Grad!.ToArray(), Ulps, "gx");
        TorchGolden.AssertClose(c.GetProperty("gw").Floats(), bn.Weight.Grad!.ToArray(), Ulps, "gw");
        TorchGolden.AssertClose(c.GetProperty("gb").Floats(), bn.Bias.Grad!.ToArray(), Ulps, "gb");

        var y2 = bn.Forward(Tensor.FromArray(c.GetProperty("x2").Floats(), shape));
        TorchGolden.AssertClose(c.GetProperty("y2").Floats(), y2.ToArray(), Ulps, "y2");
        TorchGolden.AssertClose(c.GetProperty("running_mean").Floats(), bn.RunningMean.ToArray(), Ulps, "running_mean");
        TorchGolden.AssertClose(c.GetProperty("running_var").Floats(), bn.RunningVar.ToArray(), Ulps, "running_var");

        bn.Eval();
        var y3 = bn.Forward(Tensor.FromArray(c.GetProperty("x3").Floats(), shape));
        TorchGolden.AssertClose(c.GetProperty("y3_eval").Floats(), y3.ToArray(), Ulps, "y3 (eval)");
    }
}
