using Nonlinear.Autodiff;
using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.HigherOrder;

/// <summary>createGraph, Autograd.Grad and Hvp: values worked out by hand.</summary>
public class HigherOrderTests
{
    [Fact]
    public void SecondAndThirdDerivativeOfACube()
    {
        // f = Σ x³: f′ = 3x², f″ = 6x, f‴ = 6.
        var x = Tensor.From(-1.5f, 0.5f, 2f).RequireGrad();
        var y = O.Sum(O.Mul(O.Mul(x, x), x));
        var g = Autograd.Grad([y], [x], createGraph: true)[0];
        Assert.Equal([6.75f, 0.75f, 12f], g.ToArray());
        Assert.True(g.RequiresGrad);
        var h = Autograd.Grad([O.Sum(g)], [x], createGraph: true)[0];
        Assert.Equal([-9f, 3f, 12f], h.ToArray());
        var t = Autograd.Grad([O.Sum(h)], [x])[0];
        Assert.Equal([6f, 6f, 6f], t.ToArray());
    }

    [Fact]
    public void BackwardWithCreateGraphLeavesDifferentiableGradients()
    {
        // y = Σ x²·w: x.Grad = 2xw (recorded); then Σ x.Grad backward adds ∂/∂x Σ 2xw = 2w into x.Grad (as torch).
        var x = Tensor.From(1f, -2f).RequireGrad();
        var w = Tensor.From(3f, 0.5f).RequireGrad();
        O.Sum(O.Mul(O.Mul(x, x), w)).Backward(createGraph: true);
        Assert.Equal([6f, -2f], x.Grad!.ToArray());
        Assert.True(x.Grad.RequiresGrad);
        var gx = x.Grad;
        O.Sum(gx).Backward();
        Assert.Equal([6f + 6f, -2f + 1f], x.Grad!.ToArray());
        // w.Grad: x² from the first pass, plus ∂/∂w Σ 2xw = 2x from the second.
        Assert.Equal([1f + 2f, 4f - 4f], w.Grad!.ToArray());
    }

    [Fact]
    public void GradLeavesDotGradAloneAndReturnsNonLeafGradients()
    {
        var x = Tensor.From(2f, 3f).RequireGrad();
        var h = O.Mul(x, x);                 // intermediate
        var y = O.Sum(O.Sin(h));
        var g = Autograd.Grad([y], [h, x]);
        Assert.Null(x.Grad);
        Assert.Equal(MathF.Cos(4f), g[0].ToArray()[0], 6);
        Assert.Equal(2 * 3f * MathF.Cos(9f), g[1].ToArray()[1], 5);
    }

    [Fact]
    public void GradChecksItsArguments()
    {
        var x = Tensor.From(1f, 2f).RequireGrad();
        var unused = Tensor.From(5f).RequireGrad();
        var y = O.Sum(O.Mul(x, x));
        var ex = Assert.Throws<InvalidOperationException>(() => Autograd.Grad([y], [x, unused], retainGraph: true));
        Assert.Contains("input 1", ex.Message);
        var g = Autograd.Grad([y], [x, unused], retainGraph: true, allowUnused: true);
        Assert.Equal([0f], g[1].ToArray());
        Assert.Throws<ArgumentException>(() => Autograd.Grad([O.Mul(x, x)], [x]));                        // not one element
        Assert.Throws<ArgumentException>(() => Autograd.Grad([y], [Tensor.From(1f)]));                   // input without grad
        Assert.Throws<ArgumentException>(() => Autograd.Grad([y], [x], [Tensor.From(1f, 1f)]));          // seed shape
    }

    [Fact]
    public void GradWithoutRetainReleasesTheGraph()
    {
        var x = Tensor.From(1f, 2f).RequireGrad();
        var y = O.Sum(O.Exp(x));
        Autograd.Grad([y], [x]);
        var ex = Assert.Throws<InvalidOperationException>(() => Autograd.Grad([y], [x]));
        Assert.Contains("second time", ex.Message);
    }

    [Fact]
    public void SeveralOutputsWithGradOutputs()
    {
        var x = Tensor.From(1f, 2f).RequireGrad();
        var a = O.Mul(x, x);
        var b = O.MulScalar(x, 3f);
        var g = Autograd.Grad([a, b], [x], [Tensor.From(1f, 10f), Tensor.From(2f, 0f)])[0];
        // ∂/∂x (1·x₀² + 10·x₁² + 2·3x₀) = (2 + 6, 40)
        Assert.Equal([8f, 40f], g.ToArray());
    }

    [Fact]
    public void HvpOfAQuadraticAndOfARosenbrock()
    {
        // f = ½ xᵀAx with A = [[2, 1], [1, 3]]: H·v = A·v.
        var x = Tensor.From(0.3f, -0.7f).RequireGrad();
        var a = Tensor.From(new float[,] { { 2, 1 }, { 1, 3 } });
        var f = O.MulScalar(O.Sum(O.Mul(x, O.Reshape(O.MatMul(a, O.Reshape(x, 2, 1)), 2))), 0.5f);
        Assert.Equal([2f * 1 + 1 * -2, 1f * 1 + 3 * -2], Autograd.Hvp(f, [x], [Tensor.From(1f, -2f)])[0].ToArray());

        // Rosenbrock (1 − u)² + 100(v − u²)² at (u, v): H = [[2 − 400(v − 3u²), −400u], [−400u, 200]].
        float u0 = 0.5f, v0 = 0.1f;
        var p = Tensor.From(u0, v0).RequireGrad();
        var uu = O.Select(p, 0, 0);
        var vv = O.Select(p, 0, 1);
        var r = O.Add(O.Pow(O.AddScalar(O.Neg(uu), 1f), 2f), O.MulScalar(O.Pow(O.Sub(vv, O.Mul(uu, uu)), 2f), 100f));
        var hv = Autograd.Hvp(r, [p], [Tensor.From(1f, 1f)])[0].ToArray();
        double h00 = 2 - 400 * (v0 - 3 * u0 * u0), h01 = -400 * u0;
        Assert.Equal(h00 + h01, hv[0], 3);
        Assert.Equal(h01 + 200, hv[1], 3);
    }

    [Fact]
    public void AnOpWithoutADifferentiableBackwardIsNamed()
    {
        var x = Tensor.From(1f, 2f, 3f).RequireGrad();
        var y = O.Sum(O.IndexSelect(x, 0, [2, 0]));
        var ex = Assert.Throws<InvalidOperationException>(() => Autograd.Grad([y], [x], createGraph: true));
        Assert.Contains("'index_select'", ex.Message);
    }

    [Fact]
    public void FirstOrderBackwardStillReleasesAndAccumulatesAsBefore()
    {
        var x = Tensor.From(1f, 2f).RequireGrad();
        var y = O.Sum(O.Tanh(x));
        y.Backward();
        Assert.False(x.Grad!.RequiresGrad);
        Assert.Equal(1 - MathF.Tanh(1f) * MathF.Tanh(1f), x.Grad.ToArray()[0], 6);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }
}
