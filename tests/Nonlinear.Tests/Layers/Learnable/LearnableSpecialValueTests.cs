using Nonlinear.Kernels;
using Nonlinear.Kernels.Learnable;
using Xunit;

namespace Nonlinear.Tests.Layers.Learnable;

/// <summary>±0, ±400, ±∞ and NaN through every learnable kernel, on every tier.</summary>
public class LearnableSpecialValueTests
{
    private static readonly float[] X = [0f, -0f, 400f, -400f, float.PositiveInfinity, float.NegativeInfinity, float.NaN];

    private static (float[] Y, float[] Dx, float[] DTheta) Run(LearnableCase c, float[] x, SimdTier tier)
    {
        var theta = c.Theta.Select(v => (float)v).ToArray();
        var y = new float[x.Length];
        var dx = new float[x.Length];
        var dt = new float[theta.Length];
        c.Forward(x, y, theta, 1, 1, tier);
        c.Backward(x, Enumerable.Repeat(1f, x.Length).ToArray(), dx, theta, 1, 1, dt, tier);
        return (y, dx, dt);
    }

    /// <summary>NaN propagates to y; ±400 gives finite y, dx and parameter gradients (no overflow in any unit at ±400).</summary>
    [Theory, MemberData(nameof(LearnableCases.Names), MemberType = typeof(LearnableCases))]
    public void NaNPropagatesAndExtremesStayFinite(string name)
    {
        var c = LearnableCases.Get(name);
        foreach (var tier in new[] { SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar })
        {
            var (y, _, _) = Run(c, [float.NaN], tier);
            Assert.True(float.IsNaN(y[0]), $"{name} {tier}: f(NaN) = {y[0]}");
            var (y4, dx4, dt4) = Run(c, [400f, -400f], tier);
            Assert.True(y4.Concat(dx4).Concat(dt4).All(float.IsFinite), $"{name} {tier}: non-finite at ±400: y {string.Join(",", y4)} dx {string.Join(",", dx4)} dθ {string.Join(",", dt4)}");
        }
    }

    [Fact]
    public void PReluSpecialValues()
    {
        var (y, dx, _) = Run(LearnableCases.Get("prelu"), X, SimdTier.Auto);
        Assert.Equal([0f, -0f, 400f, -100f, float.PositiveInfinity, float.NegativeInfinity], y[..6]);
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(y[1]));
        Assert.Equal([0.25f, 0.25f, 1f, 0.25f, 1f, 0.25f], dx[..6]); // torch: x ≤ 0 takes the slope
    }

    /// <summary>SAU tends to leaky ReLU at both infinities; f(0) = (1 − α)σ/√(2π).</summary>
    [Fact]
    public void SauSpecialValues()
    {
        var c = LearnableCases.Get("sau"); // α = 0.05, σ = 0.8
        var (y, dx, _) = Run(c, X, SimdTier.Auto);
        Assert.Equal(0.95 * 0.8 / Math.Sqrt(2 * Math.PI), y[0], 6);
        Assert.Equal(400f, y[2]);
        Assert.Equal(-20f, y[3], 4);
        Assert.Equal(float.PositiveInfinity, y[4]);
        Assert.Equal(float.NegativeInfinity, y[5]);
        Assert.Equal([1f, 0.05f], [dx[2], dx[3]]);
        Assert.Equal(0.525f, dx[0], 6); // α + (1 − α)/2
    }

    /// <summary>Gated APA at κ = λ = 1 is SiLU: 0 at −∞ (not −∞·0 = NaN), x at +∞, derivative 0 and 1 there.</summary>
    [Fact]
    public void ApaSpecialValues()
    {
        var c = new LearnableCase<ApaKernel>("apa_silu", new ApaKernel(true), [1, 1], -6, 6);
        var (y, dx, dt) = Run(c, X, SimdTier.Auto);
        Assert.Equal([0f, 0f, 400f, 0f, float.PositiveInfinity, 0f], y[..6].Select(v => v == 0 ? 0f : v).ToArray());
        Assert.Equal([0.5f, 0.5f, 1f, 0f, 1f, 0f], dx[..6]);
        Assert.True(dt.All(float.IsNaN), "the NaN input makes the parameter sums NaN"); // NaN is in X
        var (_, _, dtFinite) = Run(c, X[..6], SimdTier.Auto);
        Assert.True(dtFinite.All(float.IsFinite), $"dθ at ±∞: {string.Join(",", dtFinite)}");
    }

    /// <summary>Documented limits: the rational unit is NaN at ±∞ (∞/∞); Snake is NaN at ±∞ (sin ∞ is undefined).</summary>
    [Fact]
    public void RationalAndSnakeAreNaNAtInfinity()
    {
        foreach (var name in new[] { "pau_safe_5_4", "pau_abssum_5_4", "snake", "snake_beta" })
        {
            var (y, _, _) = Run(LearnableCases.Get(name), [float.PositiveInfinity, float.NegativeInfinity, 0f], SimdTier.Auto);
            Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[1]), $"{name}: f(±∞) = {y[0]}, {y[1]}");
            Assert.True(float.IsFinite(y[2]));
        }
    }
}
