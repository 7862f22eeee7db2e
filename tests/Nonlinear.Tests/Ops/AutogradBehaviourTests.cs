using Nonlinear.Autodiff;
using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>Graph behaviour: accumulation, NoGrad, Detach, views sharing storage, shape errors.</summary>
public class AutogradBehaviourTests
{
    [Fact]
    public void TensorUsedTwiceAccumulatesWithinOneBackward()
    {
        var x = Tensor.FromArray([1f, -2f, 3f], 3).RequireGrad();
        // L = Σ x·x + Σ 3x → dL/dx = 2x + 3
        O.Add(O.Sum(O.Mul(x, x)), O.Sum(O.MulScalar(x, 3f))).Backward();
        Assert.Equal(new[] { 5f, -1f, 9f }, x.Grad!.ToArray());
    }

    [Fact]
    public void SecondBackwardAddsIntoGrad()
    {
        var x = Tensor.FromArray([1f, 2f], 2).RequireGrad();
        O.Sum(O.MulScalar(x, 2f)).Backward();
        O.Sum(O.Mul(x, x)).Backward();
        Assert.Equal(new[] { 2f + 2f, 2f + 4f }, x.Grad!.ToArray());
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var x = Tensor.FromArray([1f, 2f], 2).RequireGrad();
        Tensor y;
        using (Autograd.NoGrad()) y = O.Exp(O.Mul(x, x));
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Throws<InvalidOperationException>(() => O.Sum(y).Backward());
        Assert.True(Autograd.IsEnabled);
        Assert.True(O.Exp(x).RequiresGrad);
    }

    [Fact]
    public void DetachCutsTheGraph()
    {
        var x = Tensor.FromArray([1f, 2f], 2).RequireGrad();
        var d = O.Mul(x, x).Detach();
        Assert.True(d.IsLeaf);
        Assert.False(d.RequiresGrad);
        // L = Σ x·stop(x²): gradient x² only, not 3x².
        O.Sum(O.Mul(x, d)).Backward();
        Assert.Equal(new[] { 1f, 4f }, x.Grad!.ToArray());
    }

    [Fact]
    public void ViewsShareStorage()
    {
        var x = Tensor.FromArray([0f, 1f, 2f, 3f, 4f, 5f], 2, 3);
        var r = O.Reshape(x, 3, 2);
        var t = O.Transpose(x, 0, 1);
        var s = O.Slice(x, 1, 1, 2);
        r[2, 1] = 50f;                    // x[1,2]
        Assert.Equal(50f, x[1, 2]);
        t[0, 1] = 30f;                    // x[1,0]
        Assert.Equal(30f, x[1, 0]);
        s[0, 1] = 20f;                    // x[0,2]
        Assert.Equal(20f, x[0, 2]);
        Assert.Equal(new[] { 1f, 20f, 4f, 50f }, s.ToArray());
        var u = O.Unsqueeze(x, 0);
        x[0, 0] = -1f;
        Assert.Equal(-1f, u[0, 0, 0]);
    }

    [Fact]
    public void ShapeMismatchMessagesNameBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => O.Add(Tensor.Zeros(2, 3), Tensor.Zeros(4)));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4]", e.Message);
        e = Assert.Throws<ArgumentException>(() => O.Mul(Tensor.Zeros(2, 1, 4), Tensor.Zeros(3, 2)));
        Assert.Contains("[2, 1, 4]", e.Message);
        Assert.Contains("[3, 2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => O.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 4)], 0));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 4]", e.Message);
        e = Assert.Throws<ArgumentException>(() => O.Expand(Tensor.Zeros(2, 3), 3, 3));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => O.Reshape(Tensor.Zeros(2, 3), 4, 2));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => O.Slice(Tensor.Zeros(2, 3), 1, 2, 2));
        Assert.Contains("[2, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => O.IndexSelect(Tensor.Zeros(2, 3), 1, [0, 3]));
        Assert.Contains("indices[1] = 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => O.Squeeze(Tensor.Zeros(2, 3), 0));
        Assert.Contains("[2, 3]", e.Message);
    }
}
