using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>Exp/Log/Sqrt/Pow/Abs/Clamp: forward against Math.* in double, gradient by finite differences.</summary>
public class UnaryOpGradTests
{
    // "" is rank 0; 70 covers two AVX-512 vectors plus a tail; 70000 takes the parallel driver path.
    public static TheoryData<string> Shapes => new() { "", "5", "3,4", "0,2", "70", "2,1,3", "70000" };

    private static void Check(string spec, Func<Tensor, Tensor> op, Func<double, double> f, double ulps, Func<Rng, float> sample) =>
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse(spec),
            Op = x => op(x[0]),
            Reference = x => x[0].Map(f),
            ForwardUlps = ulps,
            Sample = sample,
        });

    // VMath.Exp/Log are documented within 1 ulp; 1 ulp(r) ≤ 2u·|r|.
    [Theory, MemberData(nameof(Shapes))]
    public void Exp(string spec) => Check(spec, O.Exp, Math.Exp, 2, GradCheck.Uniform(-10f, 10f));

    [Theory, MemberData(nameof(Shapes))]
    public void Log(string spec) => Check(spec, O.Log, Math.Log, 2, GradCheck.Uniform(0.05f, 20f));

    // IEEE square root is correctly rounded: ≤ u·|r|.
    [Theory, MemberData(nameof(Shapes))]
    public void Sqrt(string spec) => Check(spec, O.Sqrt, Math.Sqrt, 1, GradCheck.Uniform(0.05f, 20f));

    // Exact; samples keep |x| ≥ 0.1 so finite differences never straddle the kink.
    [Theory, MemberData(nameof(Shapes))]
    public void Abs(string spec) => Check(spec, O.Abs, Math.Abs, 0, GradCheck.AwayFromZero(0.1f, 3f));

    // Exact; samples on a grid of 1/64 offset by 1/128 never come within 1/128 of either bound.
    [Theory, MemberData(nameof(Shapes))]
    public void Clamp(string spec) => Check(spec, x => O.Clamp(x, -0.5f, 1.25f), v => Math.Min(Math.Max(v, -0.5), 1.25), 0,
        rng => (MathF.Floor(rng.NextFloat() * 256f) - 128f) / 64f + 1f / 128f);

    // Integer powers by repeated squaring: p=2 one rounding, p=3 and p=−2 two (≤ 2u + u²).
    // p=1.5 via exp(p·ln x) on [0.5, 2]: ln within 2u·|ln x|, the product adds u·|p ln x| ≤ 1.04u, exp 2u:
    // ≤ 3·1.04u + 2u ≈ 5.2u, bounded by 6u. p=0.5 is √x (1 rounding). Negative bases only for integer p.
    [Theory]
    [InlineData(2f, 1.0, false)]
    [InlineData(3f, 2.001, false)]
    [InlineData(-2f, 2.001, false)]
    [InlineData(0.5f, 1.0, true)]
    [InlineData(1.5f, 6.0, true)]
    [InlineData(-0.75f, 6.0, true)]
    [InlineData(0f, 0.0, false)]
    public void Pow(float p, double ulps, bool positiveOnly)
    {
        foreach (var spec in new[] { "", "5", "3,4", "0,2", "70", "2,1,3" })
            Check(spec, x => O.Pow(x, p), v => Math.Pow(v, p), ulps,
                positiveOnly ? GradCheck.Uniform(0.5f, 2f) : GradCheck.AwayFromZero(0.5f, 2f));
    }

    [Fact]
    public void ClampGradientPassesAtTheBoundsAndNotOutside()
    {
        var x = Tensor.FromArray([-1f, -0.5f, 0f, 1.25f, 2f, float.NaN], 6).RequireGrad();
        var y = O.Clamp(x, -0.5f, 1.25f);
        var yv = y.ToArray();
        Assert.Equal(new[] { -0.5f, -0.5f, 0f, 1.25f, 1.25f }, yv[..5]);
        Assert.True(float.IsNaN(yv[5]));
        y.Backward(Tensor.Ones(6));
        // PyTorch's convention: gradient 1 where min ≤ x ≤ max (bounds included), 0 outside and for NaN.
        Assert.Equal(new[] { 0f, 1f, 1f, 1f, 0f, 0f }, x.Grad!.ToArray());
    }

    [Fact]
    public void AbsGradientAtZeroIsZero()
    {
        var x = Tensor.FromArray([-2f, 0f, 3f], 3).RequireGrad();
        O.Abs(x).Backward(Tensor.Ones(3));
        Assert.Equal(new[] { -1f, 0f, 1f }, x.Grad!.ToArray());
    }

    [Fact]
    public void SpecialValues()
    {
        var y = O.Log(Tensor.FromArray([0f, -1f, float.PositiveInfinity], 3)).ToArray();
        Assert.Equal(float.NegativeInfinity, y[0]);
        Assert.True(float.IsNaN(y[1]));
        Assert.Equal(float.PositiveInfinity, y[2]);
        var p = O.Pow(Tensor.FromArray([-8f, 0f, -2f], 3), 1.5f).ToArray();
        Assert.True(float.IsNaN(p[0]));
        Assert.Equal(0f, p[1]);
        Assert.Equal(-8f, O.Pow(Tensor.FromArray([-2f], 1), 3f).ToArray()[0]);
        Assert.Equal(1f, O.Pow(Tensor.FromArray([float.NaN], 1), 0f).ToArray()[0]);
        Assert.Equal(float.PositiveInfinity, O.Exp(Tensor.FromArray([100f], 1)).ToArray()[0]);
    }
}
