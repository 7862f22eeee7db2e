using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.TensorApi;

/// <summary>Autograd misuse: a second Backward() through a released graph, and saved tensors modified in place.</summary>
public sealed class AutogradGuardTests
{
    private static Tensor Leaf(params float[] v) => Tensor.From(v).RequireGrad();

    [Fact]
    public void SecondBackwardThroughAReleasedGraphNamesRetainGraph()
    {
        var x = Leaf(1f, 2f);
        var loss = (x * x).Sum();
        loss.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("a second time", e.Message);
        Assert.Contains("retainGraph: true", e.Message);
    }

    [Fact]
    public void RetainGraphAllowsASecondBackwardThatAccumulates()
    {
        var x = Leaf(1f, 2f);
        var loss = (x * x).Sum();
        loss.Backward(retainGraph: true);
        Assert.Equal([2f, 4f], x.Grad!.ToArray());
        loss.Backward();
        Assert.Equal([4f, 8f], x.Grad!.ToArray());   // d(x²)/dx = 2x, twice
        Assert.Throws<InvalidOperationException>(() => loss.Backward());   // the second call did not retain
    }

    [Fact]
    public void ASecondLossSharingAReleasedSubgraphRaises()
    {
        var x = Leaf(1f, 2f);
        var h = x.Exp();
        h.Sum().Backward();
        var e = Assert.Throws<InvalidOperationException>(() => (h * 3f).Sum().Backward());
        Assert.Contains("op 'exp'", e.Message);
    }

    [Fact]
    public void WriteThroughAsSpanAfterForwardIsCaughtAtBackward()
    {
        var a = Leaf(1f, 2f, 3f, 4f).Reshape(2, 2);
        var w = Tensor.From(new float[,] { { 1f, 0f }, { 0f, 1f } });
        var y = a.MatMul(w);
        w.AsSpan()[0] = 5f;
        var e = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal("one of the tensors needed for gradient computation has been modified by an in-place operation: " +
            "saved by 'matmul' at version 0, now 1 (tensor of shape [2, 2]). Change a Clone() instead, or run the forward pass again after the change.", e.Message);
    }

    [Fact]
    public void WriteThroughTheElementSetterOrAViewIsCaught()
    {
        var x = Leaf(0.5f, 1.5f);
        var y = x.Log();   // saves x
        x[1] = 3f;
        Assert.Contains("saved by 'log' at version 0, now 1", Assert.Throws<InvalidOperationException>(() => y.Sum().Backward()).Message);

        var b = Tensor.From(new float[,] { { 1f, 2f }, { 3f, 4f } });
        var p = Leaf(1f, 1f);
        var z = p * b[(Index)0];          // mul saves the row view
        b[1..2].AsSpan()[0] = 9f;         // a write through another view of the same storage
        Assert.Contains("saved by 'mul'", Assert.Throws<InvalidOperationException>(() => z.Sum().Backward()).Message);
    }

    /// <summary>Library code that only reads (saving a checkpoint, clipping's norm) must not look like an in-place write.</summary>
    [Fact]
    public void SavingAndClippingBetweenForwardAndBackwardAreReads()
    {
        var w = Leaf(1f, 2f);
        var x = Tensor.From(3f, 4f);
        var y = (w * x).Sum();             // mul saves w and x
        using (var ms = new MemoryStream()) Nonlinear.IO.SafeTensors.Save(ms, new Dictionary<string, Tensor> { ["w"] = w, ["x"] = x });
        Assert.Equal(0, w.Version);
        Assert.Equal(0, x.Version);
        y.Backward();
        Nonlinear.Optim.GradClip.ClipGradNorm([w], maxNorm: 1e6f);
        Assert.Equal(0, w.Grad!.Version);
        Assert.Equal([3f, 4f], w.Grad!.ToArray());
    }

    [Fact]
    public void ReadsDoNotBumpTheVersionAndUnsavedInputsMayChange()
    {
        var x = Leaf(1f, 2f);
        var c = Tensor.From(3f, 4f);
        var y = x * c + c;                 // mul saves c; add saves nothing
        _ = c.AsReadOnlySpan()[0];
        _ = c.ToArray();
        _ = c.ToString();
        Assert.Equal(0, c.Version);
        y.Sum().Backward();
        Assert.Equal([3f, 4f], x.Grad!.ToArray());

        var u = Tensor.From(1f, 1f);
        var v = x + u;                     // add: torch lets u change afterwards, and so do we
        u.AsSpan()[0] = 7f;
        v.Sum().Backward();
        Assert.Equal([4f, 5f], x.Grad!.ToArray());
    }

    [Fact]
    public void OptimizerStepBetweenForwardAndBackwardIsCaught()
    {
        var w = Leaf(1f, 2f);
        var loss = (w * w).Sum();
        var opt = new Nonlinear.Optim.Sgd([w], lr: 0.1f);
        w.Grad = Tensor.From(1f, 1f);
        opt.Step();
        Assert.Contains("saved by 'mul'", Assert.Throws<InvalidOperationException>(() => loss.Backward()).Message);
    }
}
