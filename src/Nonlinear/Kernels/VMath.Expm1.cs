using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

internal static partial class VMath
{
    /// <summary>
    /// e^x − 1, accurate near 0 (within 2 ulp, measured 1.4; −0 and subnormals kept); −1 below −17.4, +∞ above 88.72, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Expm1<V>(V x) where V : struct, ISimdVec<V> => Expm1Inline(x);

    /// <summary>Expm1 inlined: for the activation kernels, whose loops (UnaryDriver's NoInlining cores) leave the JIT budget for it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Expm1Inline<V>(V x) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f);
        V xc = V.Clamp(x, V.Create(-18f), V.Create(88.8f));
        // em = e^r − 1 without cancellation, so small x keeps full relative accuracy.
        V em = ExpMinusOneReduced(xc, out V n);
        // e^x − 1 = 2ⁿ·em + (2ⁿ − 1); 2ⁿ − 1 is exact where it matters (|n| ≤ 24). n = 128 would overflow the
        // exponent field, so scale by 2¹²⁷ and double afterwards (rounding is unaffected: ×2 is exact).
        V h = V.GreaterThan(n, V.Create(126f)) & one;
        V s = V.ScaleByPow2(one, n - h);
        V y = V.Fma(s, em, s - one) * (one + h);
        y = V.Blend(V.GreaterThan(x, V.Create(88.7228394f)), V.Create(float.PositiveInfinity), y);
        return V.Blend(V.Equals(x, V.Create(0f)), x, y);
    }

    /// <summary>
    /// ln(1 + x), accurate near 0 (within 2 ulp, measured 1.44; −0 and subnormals kept); log1p(−1) = −∞, NaN below −1, +∞ at +∞.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Log1p<V>(V x) where V : struct, ISimdVec<V>
    {
        // u = fl(1+x) loses low bits of x; ln(1+x) = ln(u) + (x − (u−1))/u restores them to first order
        // (u − 1 is exact by Sterbenz). For tiny x, u = 1 and the correction alone returns x.
        V one = V.Create(1f);
        V u = one + x;
        V y = Log(u) + (x - (u - one)) / u;
        y = V.Blend(V.Equals(x, V.Create(float.PositiveInfinity)), x, y);
        y = V.Blend(V.Equals(x, V.Create(-1f)), V.Create(float.NegativeInfinity), y);
        return V.Blend(V.Equals(x, V.Create(0f)), x, y);
    }

    /// <summary>
    /// ln(1 + x) for 0 ≤ x ≤ 1 or NaN (softplus's log1p(e^−|x|)): the same bits as <see cref="Log1p{V}"/> there, without
    /// the special cases that cannot occur in that range (1 + x is a normal float in [1, 2], never ∞, 0 or negative; x = 0
    /// gives +0 through the formula). About a dozen instructions fewer per vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Log1pUnit<V>(V x) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f);
        V u = one + x;
        return LogReduced(V.Exponent(u), V.Mantissa(u)) + (x - (u - one)) / u;
    }
}
