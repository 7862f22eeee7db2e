using Nonlinear.Kernels;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// The shortcuts that replaced the correctly rounded two-step scaling (NormalCdf, Sigmoid, silu's derivative) and the
/// special cases of log1p (softplus) promise the same bits as the general formulas wherever the result is a normal float.
/// Each test recomputes the general formula from the public VMath functions and compares bit for bit on every tier.
/// </summary>
public class ScaledExpTests
{
    private static readonly SimdTier[] Tiers = VMathAccuracyTests.Tiers;

    // The formulas as they were before the shortcuts: Exp's two-step scaling, then the arithmetic of each function.
    internal struct SigmoidGeneral : VMathAccuracyTests.IFn
    {
        public V Apply<V>(V x) where V : struct, ISimdVec<V>
        {
            V e = VMath.Exp(-V.Abs(x));
            return V.Blend(V.LessThan(x, V.Create(0f)), e, V.Create(1f)) / (V.Create(1f) + e);
        }
    }

    internal struct SoftplusGeneral : VMathAccuracyTests.IFn
    {
        public V Apply<V>(V x) where V : struct, ISimdVec<V> =>
            VMath.Log1p(VMath.Exp(-V.Abs(x))) + V.Clamp(x, V.Create(0f), V.Create(float.PositiveInfinity));
    }

    internal struct NormalCdfGeneral : VMathAccuracyTests.IFn
    {
        // Φ(x) = ½·e^(−x²/2)·(1 − lo)·Q(t) as before, with e^(−hi/2) from Exp (two-step scaling) and ½ applied last.
        public V Apply<V>(V x) where V : struct, ISimdVec<V>
        {
            V a = V.Clamp(V.Abs(x), V.Create(0f), V.Create(15f));
            V t = V.Create(2f) / V.Fma(a, V.Create(0.707106781186547524f), V.Create(2f));
            float[] c = [-0.03353901f, 0.24888904f, -0.791478f, 1.3700371f, -1.3451931f, 0.744878f, -0.3513214f, 0.19049856f,
                0.15301478f, 0.25035486f, 0.28174436f, 0.2821154f, -5.417854e-07f];
            V q = V.Create(c[0]);
            for (int i = 1; i < c.Length; i++) q = V.Fma(q, t, V.Create(c[i]));
            V hi = a * a;
            V lo = V.Fma(a, a, -hi) * V.Create(0.5f);
            V e = VMath.Exp(hi * V.Create(-0.5f));
            V g = V.Fma(-lo, e, e);
            V cc = g * q;
            return V.Blend(V.LessThan(x, V.Create(0f)), V.Create(0.5f) * cc, V.Fma(V.Create(-0.5f), cc, V.Create(1f)));
        }
    }

    internal struct NormalCdfFn : VMathAccuracyTests.IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.NormalCdf(x); }

    private static void SameBitsWhereNormal<F, G>(float lo, float hi) where F : struct, VMathAccuracyTests.IFn where G : struct, VMathAccuracyTests.IFn
    {
        var x = VMathAccuracyTests.Grid(lo, hi, 100_000);
        int compared = 0;
        foreach (var tier in Tiers)
        {
            var got = VMathAccuracyTests.Run<F>(tier, x);
            var want = VMathAccuracyTests.Run<G>(tier, x);
            for (int i = 0; i < x.Length; i++)
            {
                if (!(Math.Abs(want[i]) >= 1.17549435e-38f)) continue; // subnormal (now rounded once) or 0
                compared++;
                Assert.True(BitConverter.SingleToInt32Bits(got[i]) == BitConverter.SingleToInt32Bits(want[i]),
                    $"{typeof(F).Name}({x[i]:R}) on {tier} = {got[i]:R}, the general formula gives {want[i]:R}");
            }
        }
        Assert.True(compared > x.Length, $"only {compared} normal results compared");
    }

    [Theory]
    [InlineData(-110f, 110f)]
    [InlineData(-2f, 2f)]
    public void SigmoidMatchesTheGeneralFormula(float lo, float hi) => SameBitsWhereNormal<VMathAccuracyTests.SigmoidFn, SigmoidGeneral>(lo, hi);

    [Theory]
    [InlineData(-110f, 1e6f)]
    [InlineData(-2f, 2f)]
    public void SoftplusMatchesTheGeneralFormula(float lo, float hi) => SameBitsWhereNormal<VMathAccuracyTests.SoftplusFn, SoftplusGeneral>(lo, hi);

    [Theory]
    [InlineData(-20f, 20f)]
    [InlineData(-2f, 2f)]
    public void NormalCdfMatchesTheGeneralFormula(float lo, float hi) => SameBitsWhereNormal<NormalCdfFn, NormalCdfGeneral>(lo, hi);

    [Fact]
    public void ScaledExponentialIsExactlyTwoToThe64TimesExp()
    {
        // Where e^x is normal (x ≥ −87.33), 2⁶⁴·Exp(x) is exact, so the scaled form must equal it bit for bit.
        var x = VMathAccuracyTests.Grid(-87.3f, 0f, 100_000);
        foreach (var tier in Tiers)
        {
            var got = VMathAccuracyTests.Run<ScaledExpFn>(tier, x);
            var want = VMathAccuracyTests.Run<VMathAccuracyTests.ExpFn>(tier, x);
            for (int i = 0; i < x.Length; i++)
                Assert.Equal(want[i] * 18446744073709551616f, got[i]);
        }
    }

    [Fact]
    public void SpecialValuesOfTheShortcuts()
    {
        float[] x = [float.NegativeInfinity, -200f, -0f, 0f, 200f, float.PositiveInfinity, float.NaN];
        foreach (var tier in Tiers)
        {
            var s = VMathAccuracyTests.Run<VMathAccuracyTests.SigmoidFn>(tier, x);
            Assert.Equal([0f, 0f, 0.5f, 0.5f, 1f, 1f], s[..6]);
            Assert.True(float.IsNaN(s[6]));
            var p = VMathAccuracyTests.Run<VMathAccuracyTests.SoftplusFn>(tier, x);
            Assert.Equal([0f, 0f, 0.6931472f, 0.6931472f, 200f, float.PositiveInfinity], p[..6]);
            Assert.True(float.IsNaN(p[6]));
            var c = VMathAccuracyTests.Run<NormalCdfFn>(tier, x);
            Assert.Equal([0f, 0f, 1f, 1f], [c[0], c[1], c[4], c[5]]);
            Assert.Equal(c[2], c[3]); // Φ(±0) takes the same branch
            Assert.True(float.IsNaN(c[6]));
        }
    }

    internal struct ScaledExpFn : VMathAccuracyTests.IFn { public V Apply<V>(V x) where V : struct, ISimdVec<V> => VMath.ExpOfNegativeScaled(x); }
}
