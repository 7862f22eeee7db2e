using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>
/// MatMul (2-D, batched, shared matrix), transposed-view operands and Linear. Forward bound: a length-K dot
/// product accumulated in float has |err| ≤ γ_K·Σ|a||b| ≈ K·u·(|A|·|B|), any summation order; so k = K
/// (Linear: K+1 with the bias) with magnitude = the reference on |inputs|.
/// </summary>
public class MatMulGradTests
{
    [Theory]
    [InlineData("2,3|3,4")]
    [InlineData("1,1|1,1")]
    [InlineData("5,1|1,3")]
    [InlineData("0,3|3,2")]
    [InlineData("3,0|0,2")]
    [InlineData("2,3|3,0")]
    [InlineData("2,3,4|2,4,5")]
    [InlineData("2,3,4|4,5")]
    [InlineData("1,1,3|3,1")]
    [InlineData("3,2,7|3,7,1")]
    [InlineData("0,2,3|0,3,2")]
    [InlineData("17,19|19,33")]
    public void MatMul(string spec)
    {
        var shapes = ShapeSpec.Parse(spec);
        int k = shapes[0][^1];
        GradCheck.Run(new GradCase
        {
            Shapes = shapes,
            Op = x => O.MatMul(x[0], x[1]),
            Reference = x => RefLinalg.MatMul(x[0], x[1]),
            Magnitude = (abs, _) => RefLinalg.MatMul(abs[0], abs[1]),
            ForwardUlps = Math.Max(k, 1),
        });
    }

    // Operands given as transposed views ([k,m]ᵀ, [n,k]ᵀ): read through the GEMM's flags.
    [Theory]
    [InlineData("3,2|4,3", true, true)]
    [InlineData("3,2|3,4", true, false)]
    [InlineData("2,3|4,3", false, true)]
    [InlineData("2,4,3|2,5,4", true, true)]
    [InlineData("2,4,3|5,4", true, true)]
    [InlineData("2,3,4|2,5,4", false, true)]
    public void MatMulOfTransposedViews(string spec, bool ta, bool tb)
    {
        var shapes = ShapeSpec.Parse(spec);
        Tensor T(Tensor t, bool on) => on ? O.Transpose(t, -2, -1) : t;
        RefTensor R(RefTensor t, bool on) => on ? RefLinalg.Transpose(t, t.Rank - 2, t.Rank - 1) : t;
        int k = ta ? shapes[0][^2] : shapes[0][^1];
        GradCheck.Run(new GradCase
        {
            Shapes = shapes,
            Op = x => O.MatMul(T(x[0], ta), T(x[1], tb)),
            Reference = x => RefLinalg.MatMul(R(x[0], ta), R(x[1], tb)),
            Magnitude = (abs, _) => RefLinalg.MatMul(R(abs[0], ta), R(abs[1], tb)),
            ForwardUlps = k,
        });
    }

    [Theory]
    [InlineData("4,3|5,3|5")]
    [InlineData("4,3|5,3|")]
    [InlineData("1,1|1,1|1")]
    [InlineData("0,3|2,3|2")]
    [InlineData("37,19|7,19|7")]
    public void Linear(string spec)
    {
        var shapes = ShapeSpec.Parse(spec);
        bool hasBias = shapes[2].Length == 1;
        if (!hasBias) shapes = shapes[..2];
        GradCheck.Run(new GradCase
        {
            Shapes = shapes,
            Op = x => O.Linear(x[0], x[1], hasBias ? x[2] : null),
            Reference = x => RefLinalg.Linear(x[0], x[1], hasBias ? x[2] : null),
            Magnitude = (abs, _) => RefLinalg.Linear(abs[0], abs[1], hasBias ? abs[2] : null),
            ForwardUlps = shapes[0][1] + 1,
        });
    }

    [Fact]
    public void ChainShapeMismatchNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => O.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 5]", e.Message);
        var b = Assert.Throws<ArgumentException>(() => O.MatMul(Tensor.Zeros(2, 3, 4), Tensor.Zeros(3, 4, 5)));
        Assert.Contains("[2, 3, 4]", b.Message);
        Assert.Contains("[3, 4, 5]", b.Message);
    }
}
