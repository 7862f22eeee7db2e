using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>
/// Unfold (im2col) and Fold (col2im) against the double reference by definition. Unfold only copies (and writes
/// padding zeros), so its forward must be exact (ForwardUlps 0); Fold adds at most kh·kw overlapping taps, so
/// k = kh·kw with the reference on |cols| as magnitude. Gradients by finite differences in double.
/// </summary>
public class UnfoldGradTests
{
    // n,c,h,w | kh,kw,sh,sw,ph,pw,dh,dw
    public static TheoryData<string, string> Geometries => new()
    {
        { "2,3,5,5", "3,3,1,1,0,0,1,1" },
        { "1,2,6,7", "3,3,1,1,1,1,1,1" },
        { "2,1,7,6", "3,2,2,2,1,0,1,1" },
        { "1,2,8,8", "3,3,2,1,2,1,2,2" },
        { "1,1,4,4", "4,4,1,1,0,0,1,1" },
        { "3,2,3,5", "1,1,1,1,0,0,1,1" },
        { "1,1,5,5", "2,2,3,3,1,1,1,1" },
        { "1,2,3,3", "3,3,1,1,2,2,1,1" },
        { "2,1,9,5", "2,3,3,2,0,1,3,1" },
        { "0,2,4,4", "3,3,1,1,1,1,1,1" },
        { "1,2,1,1", "5,5,1,1,2,2,1,1" },     // whole kernel rows and columns in the padding on both sides
        { "1,1,2,3", "3,3,2,3,3,4,2,2" },
    };

    private static Window2d Win(string g)
    {
        var p = g.Split(',').Select(int.Parse).ToArray();
        return new Window2d(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
    }

    [Theory, MemberData(nameof(Geometries))]
    public void UnfoldMatchesDefinition(string input, string geometry)
    {
        var w = Win(geometry);
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(input),
            Op = x => O.Unfold(x[0], w),
            Reference = x => RefConv.Unfold(x[0], w.KernelH, w.KernelW, w.StrideH, w.StrideW, w.PadH, w.PadW, w.DilationH, w.DilationW),
            ForwardUlps = 0,
        });
    }

    [Theory, MemberData(nameof(Geometries))]
    public void FoldMatchesDefinition(string input, string geometry)
    {
        var w = Win(geometry);
        var s = ShapeSpec.Parse(input)[0];
        var (oh, ow) = w.OutputSize(s[2], s[3]);
        GradCheck.Run(new GradCase
        {
            Shapes = [[s[0], s[1] * w.Taps, oh * ow]],
            Op = x => O.Fold(x[0], s[2], s[3], w),
            Reference = x => RefConv.Fold(x[0], s[2], s[3], w.KernelH, w.KernelW, w.StrideH, w.StrideW, w.PadH, w.PadW, w.DilationH, w.DilationW),
            Magnitude = (abs, _) => RefConv.Fold(abs[0], s[2], s[3], w.KernelH, w.KernelW, w.StrideH, w.StrideW, w.PadH, w.PadW, w.DilationH, w.DilationW),
            ForwardUlps = w.Taps,
        });
    }

    // ⟨Unfold(x), c⟩ = ⟨x, Fold(c)⟩: the two kernels are each other's adjoint (checked in double on float data).
    [Fact]
    public void FoldIsTheAdjointOfUnfold()
    {
        var w = new Window2d(3, 2, 2, 1, 1, 1, 2, 1);
        var rng = new Rng(7);
        var x = Tensor.Randn(rng, [2, 3, 9, 8]);
        var u = O.Unfold(x, w);
        var c = Tensor.Randn(rng, u.Shape.ToArray());
        var f = O.Fold(c, 9, 8, w);
        double lhs = u.ToArray().Zip(c.ToArray(), (a, b) => (double)a * b).Sum();
        double rhs = x.ToArray().Zip(f.ToArray(), (a, b) => (double)a * b).Sum();
        Assert.Equal(lhs, rhs, 1e-4 * Math.Abs(lhs) + 1e-4);
    }

    [Fact]
    public void UnfoldOfANonContiguousViewReadsThroughIt()
    {
        var rng = new Rng(3);
        var x = Tensor.Randn(rng, [1, 2, 5, 4]);
        var view = O.Transpose(x, 2, 3);                       // [1, 2, 4, 5], strided
        var w = Window2d.Square(2);
        Assert.Equal(O.Unfold(O.Copy(view), w).ToArray(), O.Unfold(view, w).ToArray());
    }

    [Theory]
    [InlineData(3, 3, 5, 5, 1, 1, 0, 0, 1, 1, "3, 3")]
    [InlineData(3, 3, 5, 5, 2, 2, 1, 1, 1, 1, "3, 3")]
    [InlineData(3, 3, 7, 6, 1, 2, 0, 0, 3, 1, "1, 2")]
    public void OutputSizeIsTorchsFormula(int kh, int kw, int h, int wd, int sh, int sw, int ph, int pw, int dh, int dw, string expected)
    {
        var (oh, ow) = new Window2d(kh, kw, sh, sw, ph, pw, dh, dw).OutputSize(h, wd);
        Assert.Equal(expected, $"{oh}, {ow}");
    }

    [Fact]
    public void BadArgumentsNameWhatIsWrong()
    {
        var x = Tensor.Zeros(1, 1, 2, 2);
        Assert.Contains("needs a padded input of at least 3×3", Assert.Throws<ArgumentException>(() => O.Unfold(x, Window2d.Square(3))).Message);
        Assert.Contains("stride must be ≥ 1", Assert.Throws<ArgumentException>(() => O.Unfold(x, new Window2d(1, 1, 0, 1))).Message);
        Assert.Contains("[N, C, H, W]", Assert.Throws<ArgumentException>(() => O.Unfold(Tensor.Zeros(2, 2), Window2d.Square(1))).Message);
        Assert.Contains("does not match window", Assert.Throws<ArgumentException>(() => O.Fold(Tensor.Zeros(1, 5, 4), 3, 3, Window2d.Square(2))).Message);
    }

    // The kernels run per sample on the thread pool; the result must not depend on the thread count.
    [Fact]
    public void ThreadCountDoesNotChangeTheResult()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            var x = Tensor.Randn(new Rng(1), [4, 2, 6, 6]);
            var w = Window2d.Square(3, 1, 1);
            Parallelism.MaxThreads = 1;
            var one = O.Fold(O.Unfold(x, w), 6, 6, w).ToArray();
            Parallelism.MaxThreads = 2;
            Assert.Equal(one, O.Fold(O.Unfold(x, w), 6, 6, w).ToArray());
        }
        finally { Parallelism.MaxThreads = saved; }
    }
}
