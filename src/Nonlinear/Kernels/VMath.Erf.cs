using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

internal static partial class VMath
{
    // Coefficients fitted by tools/golden/fit_erf.py (weighted least squares toward minimax, coefficients rounded
    // to float one at a time with the rest refitted).
    // Near 0: erf(x) = x + x·P(x²) on |x| < 0.92 (relative error of the fit 4.6e-9).
    // Beyond: erfc(z) = e^(−z²)·Q(t), t = 2/(2+z), on 0.88 ≤ z ≤ 10 (relative error of the fit 2.7e-9).
    private const float ErfSplit = 0.92f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ErfSmall<V>(V x) where V : struct, ISimdVec<V>
    {
        V s = x * x;
        V p = V.Create(8.661308e-05f);
        p = V.Fma(p, s, V.Create(-0.00082092715f));
        p = V.Fma(p, s, V.Create(0.005206628f));
        p = V.Fma(p, s, V.Create(-0.026861489f));
        p = V.Fma(p, s, V.Create(0.11283728f));
        p = V.Fma(p, s, V.Create(-0.37612635f));
        p = V.Fma(p, s, V.Create(0.12837917f));
        // x + x·p rounds once, and the small term x·p carries only its own rounding: odd, −0 kept.
        return V.Fma(x, p, x);
    }

    /// <summary>erfc(z) for z ≥ 0.88 given z² = z2Hi + z2Lo exactly (or nearly); 0 beyond z ≈ 10.05, NaN propagates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ErfcLarge<V>(V z, V z2Hi, V z2Lo) where V : struct, ISimdVec<V>
    {
        V t = V.Create(2f) / (V.Create(2f) + z);
        V q = V.Create(-0.055080753f);
        q = V.Fma(q, t, V.Create(0.15872116f));
        q = V.Fma(q, t, V.Create(-0.08273218f));
        q = V.Fma(q, t, V.Create(-0.14384638f));
        q = V.Fma(q, t, V.Create(0.08493084f));
        q = V.Fma(q, t, V.Create(0.039407577f));
        q = V.Fma(q, t, V.Create(0.1897615f));
        q = V.Fma(q, t, V.Create(0.24422166f));
        q = V.Fma(q, t, V.Create(0.2824123f));
        q = V.Fma(q, t, V.Create(0.28207272f));
        q = V.Fma(q, t, V.Create(6.697386e-07f));
        // e^(−hi−lo) = e^(−hi)·(1 − lo): the rounding of z² alone would cost 2z²·2⁻²⁴ relative (≈ 100 ulp at z = 7).
        V e = Exp(-z2Hi);
        e = V.Fma(-z2Lo, e, e);
        return e * q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ErfcOfAbs<V>(V a) where V : struct, ISimdVec<V>
    {
        V z = V.Clamp(a, V.Create(0f), V.Create(10.5f)); // erfc(10.5) underflows; the clamp keeps z² finite at ±∞
        V z2 = z * z;
        return ErfcLarge(z, z2, V.Fma(z, z, -z2));
    }

    /// <summary>
    /// erf(x) = (2/√π)∫₀ˣ e^(−t²) dt, within 2 ulp (measured 1.35); odd (−0 kept), exactly ±1 from |x| ≈ 3.92 on, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Erf<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V large = (V.Create(1f) - ErfcOfAbs(a)) | (x & V.Create(-0f));
        return V.Select(V.LessThan(a, V.Create(ErfSplit)), ErfSmall(x), large);
    }

    /// <summary>
    /// erfc(x) = 1 − erf(x) with relative accuracy in the right tail (within 6 ulp, measured 5.2, down to the subnormal range,
    /// 0 beyond x ≈ 10.05); erfc(−∞) = 2, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Erfc<V>(V x) where V : struct, ISimdVec<V>
    {
        V c = ErfcOfAbs(V.Abs(x));
        V large = V.Select(V.LessThan(x, V.Create(0f)), V.Create(2f) - c, c);
        return V.Select(V.LessThan(V.Abs(x), V.Create(ErfSplit)), V.Create(1f) - ErfSmall(x), large);
    }

    /// <summary>
    /// Φ(x) = ½·erfc(−x/√2), the standard normal CDF, relatively accurate in the left tail (x·Φ(x) for GELU stays
    /// accurate down to x ≈ −13 where it underflows); within 6 ulp. Φ(−∞) = 0, Φ(+∞) = 1, NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V NormalCdf<V>(V x) where V : struct, ISimdVec<V> => NormalCdf(x, out _);

    /// <summary>
    /// Φ(x) as <see cref="NormalCdf{V}(V)"/>, and <paramref name="gauss"/> = e^(−x²/2) for |x| ≤ 15 (0 beyond), which
    /// GELU's derivative needs for φ(x): one exponential serves both.
    /// </summary>
    /// <remarks>
    /// One fit of erfc(z)·e^(z²) in t = 2/(2+z) over the whole range 0 ≤ z ≤ 10.61 (tools/golden/fit_erf.py, degree 12,
    /// relative error of the fit 1.6e-9) instead of a separate erf series near 0: no second polynomial and no blend, which
    /// made GELU about twice as fast (bench/Nonlinear.Benchmarks act-throughput). |x| is clamped to 15, where Φ(−15) has
    /// underflowed, so z² and the exponential stay finite at ±∞.
    /// The exponential is carried scaled by 2⁶⁴ (<see cref="ExpOfMinusHalfScaled{V}"/>) and the scale comes off in the last
    /// multiply: where Φ or e^(−x²/2) is a normal float this gives the same bits as scaling first (powers of two commute with
    /// rounding), and the intermediates never go subnormal, so one exact-power scaling replaces the correctly rounded two-step
    /// one (7 instructions fewer per vector on AVX2). Below Φ ≈ 2⁻¹²⁶ (x &lt; −13.003) the result now rounds once into the
    /// subnormal range instead of three times.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V NormalCdf<V>(V x, out V gauss) where V : struct, ISimdVec<V>
    {
        V a = V.Clamp(V.Abs(x), V.Create(0f), V.Create(15f));
        V t = V.Create(2f) / V.Fma(a, V.Create(0.707106781186547524f), V.Create(2f));
        V q = V.Create(-0.03353901f);
        q = V.Fma(q, t, V.Create(0.24888904f));
        q = V.Fma(q, t, V.Create(-0.791478f));
        q = V.Fma(q, t, V.Create(1.3700371f));
        q = V.Fma(q, t, V.Create(-1.3451931f));
        q = V.Fma(q, t, V.Create(0.744878f));
        q = V.Fma(q, t, V.Create(-0.3513214f));
        q = V.Fma(q, t, V.Create(0.19049856f));
        q = V.Fma(q, t, V.Create(0.15301478f));
        q = V.Fma(q, t, V.Create(0.25035486f));
        q = V.Fma(q, t, V.Create(0.28174436f));
        q = V.Fma(q, t, V.Create(0.2821154f));
        q = V.Fma(q, t, V.Create(-5.417854e-07f));
        // z² = x²/2 exactly as hi + lo (halving is exact); e^(−hi−lo) = e^(−hi)·(1 − lo), so rounding z² costs nothing.
        V hi = a * a;
        V minusLo = V.Fma(a, a, -hi) * V.Create(-0.5f);
        V e = ExpOfMinusHalfScaled(hi);
        V g = V.Fma(minusLo, e, e);                  // 2⁶⁴·e^(−x²/2)
        V c = g * q;                                 // 2⁶⁴·erfc(|x|/√2)
        gauss = g * V.Create(5.42101086242752217e-20f); // 2⁻⁶⁴
        // Φ = ½·erfc for x < 0, 1 − ½·erfc otherwise; ½·2⁻⁶⁴ = 2⁻⁶⁵ undoes the scale in the same multiply.
        return V.Blend(V.LessThan(x, V.Create(0f)), c * V.Create(2.71050543121376109e-20f),
            V.Fma(V.Create(-2.71050543121376109e-20f), c, V.Create(1f)));
    }

    /// <summary>
    /// 2⁶⁴·e^(−h/2) for 0 ≤ h ≤ 225 (or NaN): <see cref="Exp{V}"/>'s reduction and polynomial of u = −h/2, scaled by
    /// 2^(n+64) in one exact multiply (n = round(u·log₂e) ≥ −163, so 2^(n+64) and the result are normal floats).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ExpOfMinusHalfScaled<V>(V h) where V : struct, ISimdVec<V>
    {
        // No clamp: h ≤ 225 (|x| ≤ 15) keeps n ≥ −163. round(h·(−log₂e/2)) is round(u·log₂e) because −log₂e/2 is the
        // float log₂e halved exactly: n does not wait for the product u.
        V n = V.Round(h * V.Create(-0.721347520444481703f));
        V p = ExpMinusOneReduced(h * V.Create(-0.5f), n) + V.Create(1f);
        return V.ScaleByPow2(p, n + V.Create(64f));
    }
}
