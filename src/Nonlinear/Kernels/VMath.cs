using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

/// <summary>
/// Elementary functions for every register width, written once. Being our own code (not the platform's
/// libm), they give the same bits on every machine and every SIMD tier.
/// </summary>
internal static partial class VMath
{
    /// <summary>e^x, within 1 ulp over the whole float range; +∞ above 88.72, 0 below −103.98 (subnormals kept), NaN propagates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Clamp(x, V.Create(-104f), V.Create(88.8f));
        V p = ExpMinusOneReduced(xc, out V n) + V.Create(1f);
        // One correctly rounded scaling also gives the edges: n = 128 at the upper clamp overflows to +∞ exactly when e^x
        // exceeds float's range, and e^−104 is under half the smallest subnormal, so the lower clamp rounds to 0.
        return V.ScaleByPow2Rounded(p, n);
    }

    /// <summary>
    /// Cody–Waite reduction shared by Exp and Expm1: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split so n·ln2Hi is
    /// exact), and returns e^r − 1 = r + r²·p(r), which has no cancellation for small r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V ExpMinusOneReduced<V>(V x, out V n) where V : struct, ISimdVec<V>
    {
        n = V.Round(x * V.Create(1.44269504088896341f));
        return ExpMinusOneReduced(x, n);
    }

    /// <summary>The reduction of <see cref="ExpMinusOneReduced{V}(V, out V)"/> given n = round(x·log₂e) computed by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V ExpMinusOneReduced<V>(V x, V n) where V : struct, ISimdVec<V>
    {
        V r = V.Fma(n, V.Create(-0.693359375f), x);
        r = V.Fma(n, V.Create(2.12194440e-4f), r);
        V p = V.Create(1.9875691500E-4f);
        p = V.Fma(p, r, V.Create(1.3981999507E-3f));
        p = V.Fma(p, r, V.Create(8.3334519073E-3f));
        p = V.Fma(p, r, V.Create(4.1665795894E-2f));
        p = V.Fma(p, r, V.Create(1.6666665459E-1f));
        p = V.Fma(p, r, V.Create(5.0000001201E-1f));
        return V.Fma(p, r * r, r);
    }

    /// <summary>Natural logarithm, within 1 ulp; log(0) = −∞, log(x&lt;0) = NaN, log(+∞) = +∞, subnormals handled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log<V>(V x) where V : struct, ISimdVec<V>
    {
        V tiny = V.LessThan(x, V.Create(1.17549435e-38f));
        V xs = V.Blend(tiny, x * V.Create(8388608f), x);
        V y = LogReduced(V.Exponent(xs) - (tiny & V.Create(23f)), V.Mantissa(xs));
        y = V.Blend(V.Equals(x, V.Create(float.PositiveInfinity)), x, y);
        y = V.Blend(V.Equals(x, V.Create(0f)), V.Create(float.NegativeInfinity), y);
        return V.Blend(V.LessThan(x, V.Create(0f)) | V.IsNaN(x), V.Create(float.NaN), y);
    }

    /// <summary>
    /// ln(m·2^e) for m = <see cref="ISimdVec{TSelf}.Mantissa"/> of a positive normal float and e its exponent: the part of
    /// <see cref="Log{V}"/> after the special cases, shared with <see cref="Log1pUnit{V}"/> so both give the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V LogReduced<V>(V e, V m) where V : struct, ISimdVec<V>
    {
        V big = V.GreaterThan(m, V.Create(1.41421356f));
        m = V.Blend(big, m * V.Create(0.5f), m);
        e = e + (big & V.Create(1f));
        V f = m - V.Create(1f);
        V z = f * f;
        V p = V.Create(7.0376836292E-2f);
        p = V.Fma(p, f, V.Create(-1.1514610310E-1f));
        p = V.Fma(p, f, V.Create(1.1676998740E-1f));
        p = V.Fma(p, f, V.Create(-1.2420140846E-1f));
        p = V.Fma(p, f, V.Create(1.4249322787E-1f));
        p = V.Fma(p, f, V.Create(-1.6668057665E-1f));
        p = V.Fma(p, f, V.Create(2.0000714765E-1f));
        p = V.Fma(p, f, V.Create(-2.4999993993E-1f));
        p = V.Fma(p, f, V.Create(3.3333331174E-1f));
        V y = p * f * z;
        y = V.Fma(e, V.Create(-2.12194440e-4f), y);
        y = V.Fma(z, V.Create(-0.5f), y);
        y = f + y;
        return V.Fma(e, V.Create(0.693359375f), y);
    }
}
