using Nonlinear.Kernels;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// Exp has no overflow/underflow guards: its correctly rounded final scaling (<see cref="ISimdVec{TSelf}.ScaleByPow2Rounded"/>)
/// must itself produce +∞ and 0 (and the subnormals between) at the right inputs. Every float near both edges, every tier.
/// </summary>
public class VMathExpEdgeTests
{
    private static float[] EdgeInputs()
    {
        var xs = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f };
        for (float v = 88.5f; v <= 89f; v = MathF.BitIncrement(v)) xs.Add(v);
        for (float v = -104.5f; v <= -102f; v = MathF.BitIncrement(v)) xs.Add(v);
        return xs.ToArray();
    }

    [Theory]
    [InlineData(SimdTier.Vec512)]
    [InlineData(SimdTier.Vec256)]
    [InlineData(SimdTier.Vec128)]
    [InlineData(SimdTier.Scalar)]
    public void ExpIsWithinOneUlpOfCorrectlyRoundedAtBothEdges(SimdTier tier)
    {
        var x = EdgeInputs();
        var y = VMathAccuracyTests.Run<VMathAccuracyTests.ExpFn>(tier, x);
        for (int i = 0; i < x.Length; i++)
        {
            float r = (float)Math.Exp(x[i]);
            if (float.IsNaN(r) || float.IsInfinity(r) || r == 0)
            {
                Assert.True(r.Equals(y[i]), $"exp({x[i]:R}) = {y[i]:R}, expected {r:R} ({tier})");
                continue;
            }
            // Bit distance counts subnormal steps too: one rounding step anywhere in the range.
            int d = Math.Abs(BitConverter.SingleToInt32Bits(y[i]) - BitConverter.SingleToInt32Bits(r));
            Assert.True(d <= 1, $"exp({x[i]:R}) = {y[i]:R}, correctly rounded {r:R} ({d} steps, {tier})");
        }
    }
}
