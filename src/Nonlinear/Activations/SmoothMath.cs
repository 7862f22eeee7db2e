using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// Building blocks shared by the smooth catalog entries, in float-vector and double form. Each one is written so that it
/// keeps relative accuracy where the naive formula cancels or overflows (the reason it exists).
/// </summary>
internal static class SmoothMath
{
    /// <summary>sech²(u) = 4e/(1 + e)² with e = e^(−2|u|): never overflows, relatively accurate in both tails (1 − tanh² is not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sech2<V>(V u) where V : struct, ISimdVec<V>
    {
        V e = VMath.Exp(V.Create(-2f) * V.Abs(u));
        V d = V.Create(1f) + e;
        return V.Create(4f) * e / (d * d);
    }

    /// <summary>sech²(u) in double.</summary>
    public static double Sech2(double u)
    {
        double e = Math.Exp(-2 * Math.Abs(u));
        return 4 * e / ((1 + e) * (1 + e));
    }

    /// <summary>
    /// e^(−c·u²) with u² and c·u² carried as hi + lo (both products' roundings recovered by fma), so the rounding of the
    /// exponent (c·u²·2⁻²⁴ relative, i.e. that many ulps in the result) does not reach the result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V ExpNegSquare<V>(V u, float c) where V : struct, ISimdVec<V>
    {
        // |u| ≤ 1e4 keeps hi finite (the result is 0 long before), so fma(u, u, −hi) is never ∞ − ∞.
        V uc = V.Min(V.Max(u, V.Create(-1e4f)), V.Create(1e4f));
        V hi = uc * uc;
        V lo = V.Fma(uc, uc, -hi);
        V p = hi * V.Create(c);
        V pe = V.Fma(hi, V.Create(c), -p) + lo * V.Create(c);
        V e = VMath.Exp(-p);
        return V.Fma(-pe, e, e);
    }

    /// <summary>σ(x) and σ(−x) from one exponential e^(−|x|), both relatively accurate (1 − σ cancels in the right tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (V S, V SNeg) SigmoidPair<V>(V x) where V : struct, ISimdVec<V>
    {
        V e = VMath.Exp(-V.Abs(x));
        V r = V.Create(1f) / (V.Create(1f) + e);
        V neg = V.LessThan(x, V.Create(0f));
        return (V.Blend(neg, e * r, r), V.Blend(neg, r, e * r));
    }

    /// <summary>
    /// sinc′(t) = (cos t − sin t/t)/t given sin t and cos t; its alternating series Σ (−1)ᵏ·2k·t^(2k−1)/(2k+1)! (k ≤ 6) for
    /// |t| &lt; 1, where the difference cancels (truncation error there ≤ 1.2e-11 relative).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V SincPrime<V>(V t, V sin, V cos) where V : struct, ISimdVec<V>
    {
        V t2 = t * t;
        V p = V.Create(12f / 6227020800f);
        p = V.Fma(p, t2, V.Create(-10f / 39916800f));
        p = V.Fma(p, t2, V.Create(8f / 362880f));
        p = V.Fma(p, t2, V.Create(-6f / 5040f));
        p = V.Fma(p, t2, V.Create(4f / 120f));
        p = V.Fma(p, t2, V.Create(-2f / 6f));
        V series = t * p;
        V direct = (cos - sin / t) / t;
        return V.Select(V.LessThan(V.Abs(t), V.Create(1f)), series, direct);
    }

    /// <summary>
    /// sin and cos of k·x with k·x carried as hi + lo (lo = fma(k, x, −hi) exactly), so the rounding of the product does not
    /// cost |k·x·tan(k·x)|/2 ulp: sin(hi + lo) ≈ sin hi + lo·cos hi, cos(hi + lo) ≈ cos hi − lo·sin hi.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (V Sin, V Cos) SinCosScaled<V>(V x, float k) where V : struct, ISimdVec<V>
    {
        V hi = V.Create(k) * x;
        V lo = V.Fma(V.Create(k), x, -hi);
        var (s, c) = VMath.SinCos(hi);
        return (V.Fma(lo, c, s), V.Fma(-lo, s, c));
    }

    /// <summary>sinc t = sin t/t (1 at 0) in double.</summary>
    public static double Sinc(double t) => t == 0 ? 1 : Math.Sin(t) / t;

    /// <summary>sinc′(t) in double: the alternating series below |t| = 0.1 (the direct form cancels there), else (t·cos t − sin t)/t².</summary>
    public static double SincPrime(double t)
    {
        if (Math.Abs(t) < 0.1)
        {
            // sinc′(t) = Σ (−1)ᵏ·2k·t^(2k−1)/(2k+1)!, k ≥ 1.
            double t2 = t * t, term = -t / 3, sum = term;
            for (int k = 2; k < 12; k++)
            {
                term *= -t2 * k / ((k - 1) * (2.0 * k) * (2.0 * k + 1));
                sum += term;
            }
            return sum;
        }
        return (t * Math.Cos(t) - Math.Sin(t)) / (t * t);
    }
}
