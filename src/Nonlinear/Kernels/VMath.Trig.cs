using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

internal static partial class VMath
{
    /// <summary>
    /// sin x. Within 1 ulp for |x| ≤ 1e6 (measured 0.70; VMathTrigTests); for 1e6 &lt; |x| ≤ 1.6e7 the absolute error
    /// stays below 1e-6 (measured 4.5e-7); beyond that (floats ≥ 2 apart, the quadrant no longer follows from a float product)
    /// the result is a finite value in [−1, 1] with no accuracy claim. sin(±0) = ±0, subnormals kept, NaN for ±∞ and NaN.
    /// </summary>
    /// <remarks>
    /// x = j·π/2 + r with π/2 in three float parts (Cody–Waite): the first product-difference is exact under FMA for
    /// |j| &lt; 2²⁴, and the rounding of the second is kept as a low part r_l, so r_h + r_l carries r to ~2⁻⁴⁸ relative.
    /// Then sin r = r + r³·S(r²), cos r = 1 − r²/2 + r⁴·C(r²) (tools/golden/fit_sincos.py) with first-order r_l terms,
    /// and the quadrant j mod 4 picks and signs one of them.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Sin<V>(V x) where V : struct, ISimdVec<V>
    {
        SinCosCore(x, out V s, out V c, out V q);
        V odd = OddQuadrant(q);
        V y = V.Select(odd, c, s) ^ (V.GreaterThanOrEqual(q, V.Create(2f)) & V.Create(-0f));
        return V.Select(V.Equals(x, V.Create(0f)), x, y);
    }

    /// <summary>
    /// cos x. Within 1 ulp for |x| ≤ 1e6 (measured 0.69); absolute error below 1e-6 for |x| ≤ 1.6e7; beyond that a
    /// finite value in [−1, 1] with no accuracy claim (as <see cref="Sin{V}"/>). cos(±0) = 1, NaN for ±∞ and NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Cos<V>(V x) where V : struct, ISimdVec<V>
    {
        SinCosCore(x, out V s, out V c, out V q);
        V odd = OddQuadrant(q);
        // cos x = sin(x + π/2): quadrant q + 1, negative for q ∈ {1, 2}.
        V neg = V.Equals(q, V.Create(1f)) | V.Equals(q, V.Create(2f));
        return V.Select(odd, s, c) ^ (neg & V.Create(-0f));
    }

    /// <summary>sin x and cos x from one reduction (same bits as <see cref="Sin{V}"/> and <see cref="Cos{V}"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static (V Sin, V Cos) SinCos<V>(V x) where V : struct, ISimdVec<V>
    {
        SinCosCore(x, out V s, out V c, out V q);
        V odd = OddQuadrant(q);
        V sin = V.Select(odd, c, s) ^ (V.GreaterThanOrEqual(q, V.Create(2f)) & V.Create(-0f));
        sin = V.Select(V.Equals(x, V.Create(0f)), x, sin);
        V neg = V.Equals(q, V.Create(1f)) | V.Equals(q, V.Create(2f));
        V cos = V.Select(odd, s, c) ^ (neg & V.Create(-0f));
        return (sin, cos);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V OddQuadrant<V>(V q) where V : struct, ISimdVec<V> =>
        V.Equals(q, V.Create(1f)) | V.Equals(q, V.Create(3f));

    /// <summary>sin r, cos r of the reduced argument and the quadrant q = j mod 4 ∈ {0, 1, 2, 3} (NaN for non-finite x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SinCosCore<V>(V x, out V sin, out V cos, out V q) where V : struct, ISimdVec<V>
    {
        // x·2/π with 2/π as hi + lo and one rounding, so j is the nearest integer or (near a half) its neighbour:
        // |r| ≤ π/4 + ½ulp(x·2/π)·π/2, i.e. ≤ 1.18 while x·2/π < 2²³.
        V j = V.Round(V.Fma(x, V.Create(0.636619747f), x * V.Create(2.56825530e-8f)));
        // j mod 4. j·¼ is not exact once |j| ≥ 2²², so the floor may be one off: j − 4·m is exact and is then
        // brought back into [0, 4) (both corrections are no-ops below 2²²).
        q = j - V.Create(4f) * V.Floor(j * V.Create(0.25f));
        q = q + (V.LessThan(q, V.Create(0f)) & V.Create(4f));
        q = q - (V.GreaterThanOrEqual(q, V.Create(4f)) & V.Create(4f));
        // π/2 = C1 + C2 + C3 (C1 = float(π/2), C2 = −4.371139e-8, C3 = −1.7151245e-15). r1 = x − j·C1 is exact: both
        // are multiples of min(ulp(x), 2⁻²³) and the difference is below 2.
        V r1 = V.Fma(j, V.Create(-1.57079637f), x);
        // r = r1 + j·|C2| + j·|C3|: the product j·|C2| and its exact FMA error, then an exact two-sum.
        V p = j * V.Create(4.37113883e-8f);
        V pe = V.Fma(j, V.Create(4.37113883e-8f), -p);
        V rh = r1 + p;
        V bb = rh - r1;
        V e = (r1 - (rh - bb)) + (p - bb);
        V rl = V.Fma(j, V.Create(1.71512451e-15f), e + pe);
        // Out of range (|x| ≳ 2.6e7) r may be anything: clamping keeps the polynomials finite and |sin|, |cos| ≤ 1.
        rh = V.Min(V.Max(rh, V.Create(-1.25f)), V.Create(1.25f));
        rl = V.Min(V.Max(rl, V.Create(-3.8e-6f)), V.Create(3.8e-6f));

        V z = rh * rh;
        V sp = V.Create(2.7864228e-06f);
        sp = V.Fma(sp, z, V.Create(-0.00019848472f));
        sp = V.Fma(sp, z, V.Create(0.008333368f));
        sp = V.Fma(sp, z, V.Create(-0.16666667f));
        V hz = V.Create(0.5f) * z;
        // sin(rh + rl) ≈ sin rh + rl·(1 − rh²/2).
        sin = rh + V.Fma(rh * z, sp, V.Fma(rl, -hz, rl));

        V cp = V.Create(2.442599e-05f);
        cp = V.Fma(cp, z, V.Create(-0.0013887205f));
        cp = V.Fma(cp, z, V.Create(0.04166664f));
        // cos(rh + rl) ≈ 1 − rh²/2 + rh⁴·C − rh·rl. w = 1 − hz rounds; (1 − w) − hz is that rounding exactly (Sterbenz),
        // and zl the rounding of rh², so the big term 1 − rh²/2 is carried to double-float accuracy.
        V zl = V.Fma(rh, rh, -z);
        V w = V.Create(1f) - hz;
        V corr = V.Fma(z * z, cp, (V.Create(1f) - w) - hz);
        cos = w + (corr - V.Fma(rh, rl, V.Create(0.5f) * zl));
    }

    /// <summary>
    /// atan x, within 2 ulp (measured 1.70); odd (−0 kept), ±π/2 at ±∞, NaN propagates. |x| is reduced to |t| ≤ tan(π/8) by
    /// atan x = π/4 + atan((x − 1)/(x + 1)) for x &gt; tan(π/8) and π/2 + atan(−1/x) for x &gt; tan(3π/8) (one division
    /// either way), then atan t = t + t³·A(t²) (tools/golden/fit_sincos.py).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // large: inlining it exhausts the JIT budget of the caller
    public static V Atan<V>(V x) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f);
        V a = V.Abs(x);
        V big = V.GreaterThan(a, V.Create(2.41421356f));
        V mid = V.GreaterThan(a, V.Create(0.414213562f)); // where big is also set, big wins every select
        V num = V.Select(big, V.Create(-1f), V.Select(mid, a - one, a));
        V den = V.Select(big, a, V.Select(mid, a + one, one));
        V t = num / den;
        // π/2 and π/4 as float hi + lo so the offset adds no rounding of its own.
        V hi = V.Select(big, V.Create(1.57079637f), mid & V.Create(0.785398185f));
        V lo = V.Select(big, V.Create(-4.37113883e-8f), mid & V.Create(-2.18556941e-8f));
        V z = t * t;
        V p = V.Create(-0.063411966f);
        p = V.Fma(p, z, V.Create(0.106942415f));
        p = V.Fma(p, z, V.Create(-0.14256595f));
        p = V.Fma(p, z, V.Create(0.19999132f));
        p = V.Fma(p, z, V.Create(-0.33333325f));
        V y = hi + (t + V.Fma(t * z, p, lo));
        return y | (x & V.Create(-0f));
    }
}
