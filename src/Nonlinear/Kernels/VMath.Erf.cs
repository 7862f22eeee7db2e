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
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V NormalCdf<V>(V x, out V gauss) where V : struct, ISimdVec<V>
    {
        V half = V.Create(0.5f);
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
        V lo = V.Fma(a, a, -hi) * half;
        V e = ExpOfMinusHalf(hi);
        gauss = V.Fma(-lo, e, e);
        V c = gauss * q; // erfc(|x|/√2)
        return V.Blend(V.LessThan(x, V.Create(0f)), half * c, V.Fma(-half, c, V.Create(1f)));
    }

    /// <summary>
    /// e^(−h/2) for 0 ≤ h ≤ 225 (or NaN): <see cref="Exp{V}"/> of u = −h/2 without the overflow guards, the same bits as
    /// <c>ExpMinusOneReduced(Clamp(−h/2, −104, 0))</c> scaled, one multiply shorter on GELU's critical path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ExpOfMinusHalf<V>(V h) where V : struct, ISimdVec<V>
    {
        // Below u = −104 the result rounds to 0 (e^−104 is under half the smallest subnormal), so clamping there is exact.
        // Clamping h to [0, 208] is clamping u to [−104, 0] (halving is exact and reverses the order), and
        // round(h·(−log₂e/2)) is round(u·log₂e) because −log₂e/2 is the float log₂e halved exactly: n no longer waits
        // for the product u.
        V hc = V.Clamp(h, V.Create(0f), V.Create(208f));
        V n = V.Round(hc * V.Create(-0.721347520444481703f));
        V p = ExpMinusOneReduced(hc * V.Create(-0.5f), n) + V.Create(1f);
        return V.ScaleByPow2Rounded(p, n);
    }
}
