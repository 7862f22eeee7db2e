using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>
/// Conv2d, MaxPool2d and AvgPool2d against the double reference by definition, gradients by finite differences in
/// double for x, weight and bias. Conv forward: a dot product of K = C·kh·kw terms plus the bias, so k = K + 1 with the
/// reference on |inputs| as magnitude (as MatMul). MaxPool selects, so it is exact; AvgPool sums kh·kw terms and divides.
/// </summary>
public class ConvPoolGradTests
{
    // x | weight (O,C,kh,kw) | stride,padding,dilation per axis: sh,sw,ph,pw,dh,dw
    [Theory]
    [InlineData("2,3,5,5", "4,3,3,3", "1,1,0,0,1,1")]
    [InlineData("1,2,6,7", "3,2,3,3", "1,1,1,1,1,1")]
    [InlineData("2,1,7,6", "2,1,3,2", "2,2,1,0,1,1")]
    [InlineData("1,2,8,8", "2,2,3,3", "2,1,2,1,2,2")]
    [InlineData("3,2,4,4", "5,2,1,1", "1,1,0,0,1,1")]
    [InlineData("1,1,3,3", "1,1,3,3", "1,1,2,2,1,1")]
    [InlineData("1,3,2,9", "2,3,2,4", "1,3,0,1,1,2")]
    public void Conv2dMatchesDefinition(string xs, string ws, string geo)
    {
        var g = geo.Split(',').Select(int.Parse).ToArray();
        var wShape = ShapeSpec.Parse(ws)[0];
        var win = new Window2d(wShape[2], wShape[3], g[0], g[1], g[2], g[3], g[4], g[5]);
        int k = wShape[1] * wShape[2] * wShape[3];
        foreach (bool bias in new[] { true, false })
            GradCheck.Run(new GradCase
            {
                Shapes = bias ? [ShapeSpec.Parse(xs)[0], wShape, [wShape[0]]] : [ShapeSpec.Parse(xs)[0], wShape],
                Op = x => O.Conv2d(x[0], x[1], bias ? x[2] : null, win),
                Reference = x => RefConv.Conv2d(x[0], x[1], bias ? x[2] : null, g[0], g[1], g[2], g[3], g[4], g[5]),
                Magnitude = (abs, _) => RefConv.Conv2d(abs[0], abs[1], bias ? abs[2] : null, g[0], g[1], g[2], g[3], g[4], g[5]),
                ForwardUlps = k + 1,
            });
    }

    // The specification of Conv2d as a composition: W[O, C·kh·kw] · Unfold(x) per sample, reshaped to [N, O, OH, OW].
    [Fact]
    public void Conv2dEqualsUnfoldThenMatMul()
    {
        var rng = new Rng(5);
        var win = new Window2d(3, 2, 2, 1, 1, 1, 1, 2);
        var x = Tensor.Randn(rng, [3, 4, 9, 8]);
        var w = Tensor.Randn(rng, [6, 4, 3, 2]);
        var y = O.Conv2d(x, w, null, win).ToArray();
        var cols = O.Unfold(x, win);                                   // [3, 24, L]
        var wm = O.Reshape(w, 6, 24);
        var (oh, ow) = win.OutputSize(9, 8);
        for (int s = 0; s < 3; s++)
        {
            var ys = O.MatMul(wm, O.Reshape(O.Slice(cols, 0, s, 1), 24, oh * ow)).ToArray();
            for (int i = 0; i < ys.Length; i++)
                Assert.Equal(ys[i], y[s * ys.Length + i], 1e-4f * (1 + MathF.Abs(ys[i])));
        }
    }

    [Theory]
    [InlineData("2,3,6,6", "2,2,2,2,0,0,1,1")]
    [InlineData("1,2,7,5", "3,3,2,1,1,1,1,1")]
    [InlineData("1,1,9,9", "3,2,2,3,1,1,2,3")]
    [InlineData("2,1,4,4", "1,1,1,1,0,0,1,1")]
    public void MaxPool2dMatchesDefinition(string xs, string geo)
    {
        var g = geo.Split(',').Select(int.Parse).ToArray();
        var win = new Window2d(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(xs),
            Op = x => O.MaxPool2d(x[0], win),
            Reference = x => RefConv.Pool(x[0], true, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]),
            ForwardUlps = 0,
        });
    }

    [Theory]
    [InlineData("2,3,6,6", "2,2,2,2,0,0")]
    [InlineData("1,2,7,5", "3,3,2,1,1,1")]
    [InlineData("1,1,5,8", "3,2,1,3,1,0")]
    public void AvgPool2dMatchesDefinition(string xs, string geo)
    {
        var g = geo.Split(',').Select(int.Parse).ToArray();
        var win = new Window2d(g[0], g[1], g[2], g[3], g[4], g[5]);
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(xs),
            Op = x => O.AvgPool2d(x[0], win),
            Reference = x => RefConv.Pool(x[0], false, g[0], g[1], g[2], g[3], g[4], g[5]),
            Magnitude = (abs, _) => RefConv.Pool(abs[0], false, g[0], g[1], g[2], g[3], g[4], g[5]),
            ForwardUlps = g[0] * g[1] + 1,
        });
    }

    [Fact]
    public void MaxPoolPropagatesNaNAndBreaksTiesToTheFirst()
    {
        var x = Tensor.FromArray([1f, 1f, float.NaN, 0f, 2f, 2f, 2f, 2f], 1, 2, 2, 2).RequireGrad();
        var y = O.MaxPool2d(x, Window2d.Square(2, 2));
        Assert.True(float.IsNaN(y.ToArray()[0]));
        Assert.Equal(2f, y.ToArray()[1]);
        y.Backward(Tensor.Ones(1, 2, 1, 1));
        Assert.Equal([0f, 0f, 1f, 0f, 1f, 0f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void BadShapesNameWhatIsWrong()
    {
        var x = Tensor.Zeros(1, 3, 5, 5);
        Assert.Contains("must be [O, 3, 3, 3]", Assert.Throws<ArgumentException>(() => O.Conv2d(x, Tensor.Zeros(2, 2, 3, 3), null, Window2d.Square(3))).Message);
        Assert.Contains("expected [2]", Assert.Throws<ArgumentException>(() => O.Conv2d(x, Tensor.Zeros(2, 3, 3, 3), Tensor.Zeros(3), Window2d.Square(3))).Message);
        Assert.Contains("at most half the kernel", Assert.Throws<ArgumentException>(() => O.MaxPool2d(x, Window2d.Square(2, 1, 2))).Message);
        Assert.Contains("no dilation", Assert.Throws<ArgumentException>(() => O.AvgPool2d(x, Window2d.Square(2, 1, 0, 2))).Message);
    }
}
