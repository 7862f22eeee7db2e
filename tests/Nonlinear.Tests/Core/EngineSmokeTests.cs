using Nonlinear.Activations;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Core;

public class EngineSmokeTests
{
    [Fact]
    public void BroadcastAddBackwardSumsOverExpandedDims()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3).RequireGrad();
        var b = Tensor.FromArray([10, 20, 30], 3).RequireGrad();
        var y = a + b;
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, y.ToArray());
        Ops.Linear(y, Tensor.Ones(1, 3), null).Backward(Tensor.Ones(2, 1));
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1 }, a.Grad!.ToArray());
        Assert.Equal(new float[] { 2, 2, 2 }, b.Grad!.ToArray());
    }

    [Fact]
    public void MatMulOfTransposedViewMatchesHandComputed()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var at = Ops.Transpose(a, 0, 1);            // [3,2] view
        var y = Ops.MatMul(at, a);                  // aᵀa, 3×3
        Assert.Equal(new float[] { 17, 22, 27, 22, 29, 36, 27, 36, 45 }, y.ToArray());
    }

    [Fact]
    public void CatalogParsesParameters()
    {
        var act = ActivationCatalog.Parse("leaky_relu(0.2)");
        Assert.Equal("leaky_relu(negative_slope=0.2)", act.ToString());
        var y = new float[2];
        act.Forward([-1f, 3f], y);
        Assert.Equal(new float[] { -0.2f, 3f }, y);
        Assert.Throws<InvalidInputException>(() => ActivationCatalog.Parse("leaky_rleu"));
    }
}
