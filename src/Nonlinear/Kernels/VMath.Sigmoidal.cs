using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

internal static partial class VMath
{
    /// <summary>
    /// tanh(x): x + x³·P(x²) for |x| &lt; 0.625 (fitted, relative error 1.5e-9: no cancellation near 0), and
    /// 1 − 2/(e^(2|x|) + 1) with the sign of x beyond. Odd (−0 kept), exactly ±1 from |x| ≈ 9.01 on and at ±∞;
    /// within 2 ulp (measured 1.6). NaN propagates. Coefficients from tools/golden/fit_erf.py (fit_tanh).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Tanh<V>(V x) where V : struct, ISimdVec<V> => TanhInline(x);

    /// <summary>Tanh inlined: for the activation kernels, whose loops (UnaryDriver's NoInlining cores) leave the JIT budget for it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V TanhInline<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V s = x * x;
        V p = V.Create(0.0022198046f);
        p = V.Fma(p, s, V.Create(-0.008255761f));
        p = V.Fma(p, s, V.Create(0.021729782f));
        p = V.Fma(p, s, V.Create(-0.053951487f));
        p = V.Fma(p, s, V.Create(0.13333237f));
        p = V.Fma(p, s, V.Create(-0.3333333f));
        V sign = x & V.Create(-0f);
        // x + x³·P has x's sign (|x²·P| < 1); or-ing the sign bit back fixes only −0 (−0 + +0 = +0).
        V small = V.Fma(x * s, p, x) | sign;
        // 2/(e^(2|x|) + 1) ≤ 0.45 here, so the subtraction from 1 does not amplify its error; e^(2|x|) = ∞ gives 1.
        V big = (V.Create(1f) - V.Create(2f) / (Exp(a + a) + V.Create(1f))) | sign;
        return V.Blend(V.LessThan(a, V.Create(0.625f)), small, big);
    }

    /// <summary>
    /// σ(x) = 1/(1 + e^−x), from e = e^−|x| (never overflows): 1/(1+e) for x ≥ 0, e/(1+e) for x &lt; 0, so both
    /// tails keep relative accuracy (within 2.5 ulp, measured 2.04). σ(+∞) = 1, σ(−∞) = 0, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid<V>(V x) where V : struct, ISimdVec<V>
    {
        // One division either way: e/(1+e) directly is more accurate than e·(1/(1+e)). Both sides carry the scale 2⁶⁴
        // (see ExpOfNegativeScaled): the quotient is the same real number, so the same bits wherever σ is a normal float,
        // and below 2⁻¹²⁶ it now rounds once (e no longer rounds into the subnormal range before the division).
        V e = ExpOfNegativeScaled(NegativeAbs(x));
        V num = V.Blend(V.LessThan(x, V.Create(0f)), e, V.Create(18446744073709551616f));
        return num / (V.Create(18446744073709551616f) + e);
    }

    /// <summary>
    /// −|x| as one OR of the sign bit, where −Abs(x) is an AND and an XOR: the same bits for every input (±0, ±∞, NaN
    /// payloads included), one instruction less in front of the exponential of sigmoid and softplus (sigmoid forward 1.06×
    /// in L1 on AVX2). Not in silu's derivative, which needs |z| anyway: there the JIT shares the AND, and the OR measured
    /// 4 % slower.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V NegativeAbs<V>(V x) where V : struct, ISimdVec<V> => x | V.Create(-0f);

    /// <summary>
    /// 2⁶⁴·e^x for x ≤ 0 (or NaN): <see cref="Exp{V}"/>'s reduction and polynomial, then one exact multiply by 2^(n+64)
    /// instead of the correctly rounded two-step scaling: n ≥ −150 after the clamp at −104, so 2^(n+64) and the result
    /// are normal floats. Where e^x is normal this is exactly 2⁶⁴ times <see cref="Exp{V}"/>'s result (powers of two
    /// commute with rounding); five instructions fewer per vector on AVX2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V ExpOfNegativeScaled<V>(V x) where V : struct, ISimdVec<V>
    {
        // Below −104, e^x is under half the smallest subnormal: anything that divides out the 2⁶⁴ rounds it to 0 as Exp does.
        V xc = V.Clamp(x, V.Create(-104f), V.Create(0f));
        V p = ExpMinusOneReduced(xc, out V n) + V.Create(1f);
        return V.ScaleByPow2(p, n + V.Create(64f));
    }

    /// <summary>
    /// softplus(x) = ln(1 + e^x) = log1p(e^−|x|) + max(x, 0): never overflows, tiny and relatively accurate for
    /// x ≪ 0, exactly x for x ≳ 17 (within 2 ulp overall, measured 1.75). softplus(−∞) = 0, softplus(+∞) = +∞, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Softplus<V>(V x) where V : struct, ISimdVec<V> => SoftplusInline(x);

    /// <summary>Softplus inlined: for the softplus kernel, whose loop (UnaryDriver's NoInlining cores) leaves the JIT budget for it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V SoftplusInline<V>(V x) where V : struct, ISimdVec<V> =>
        // The clamp keeps −0 where max(x, 0) gives +0; ln 2 + (−0) = ln 2 + 0, so the sum has the same bits.
        Log1pUnit(Exp(NegativeAbs(x))) + V.Clamp(x, V.Create(0f), V.Create(float.PositiveInfinity));
}
