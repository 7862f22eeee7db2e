using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

/// <summary>
/// A float SIMD register of some width. Kernels are written once against this interface and the JIT
/// specialises them for each width (<see cref="Vec512"/>, <see cref="Vec256"/>, <see cref="Vec128"/>)
/// and for the one-lane <see cref="Scalar"/>, which serves tails and the scalar path. Because the
/// scalar lane runs the very same formula, every SIMD tier gives bit-identical results.
/// </summary>
/// <remarks>Comparison results are masks: all bits set where true, zero where false.</remarks>
internal interface ISimdVec<TSelf> where TSelf : struct, ISimdVec<TSelf>
{
    /// <summary>Number of float lanes.</summary>
    static abstract int Count { get; }
    /// <summary>True when this width maps to hardware instructions on this machine.</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>All lanes set to value.</summary>
    static abstract TSelf Create(float value);
    /// <summary>Loads Count floats starting at source.</summary>
    static abstract TSelf Load(ref float source);
    /// <summary>Stores Count floats starting at destination.</summary>
    static abstract void Store(TSelf value, ref float destination);
    /// <summary>
    /// Stores Count floats at a 64-byte aligned, pinned <paramref name="destination"/> past the caches (non-temporal), so
    /// the line is not first read for ownership; a plain store where the hardware has none. For outputs far larger than
    /// the last-level cache; the writer issues a store fence before anyone else reads them.
    /// </summary>
    static abstract unsafe void StoreStreaming(TSelf value, float* destination);

    /// <summary>Lane-wise sum.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);
    /// <summary>Lane-wise difference.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);
    /// <summary>Lane-wise product.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);
    /// <summary>Lane-wise quotient.</summary>
    static abstract TSelf operator /(TSelf a, TSelf b);
    /// <summary>Lane-wise negation.</summary>
    static abstract TSelf operator -(TSelf a);
    /// <summary>Bitwise and.</summary>
    static abstract TSelf operator &(TSelf a, TSelf b);
    /// <summary>Bitwise or.</summary>
    static abstract TSelf operator |(TSelf a, TSelf b);
    /// <summary>Bitwise xor.</summary>
    static abstract TSelf operator ^(TSelf a, TSelf b);

    /// <summary>a*b+c with a single rounding.</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);
    /// <summary>IEEE 754:2019 minimum (NaN propagates, −0 &lt; +0).</summary>
    static abstract TSelf Min(TSelf a, TSelf b);
    /// <summary>IEEE 754:2019 maximum (NaN propagates, −0 &lt; +0).</summary>
    static abstract TSelf Max(TSelf a, TSelf b);
    /// <summary>
    /// lo where x &lt; lo, hi where x &gt; hi, else x, for lo ≤ hi and neither NaN: a NaN lane of x stays NaN and a zero
    /// stays the zero it was. That is min(max(x, lo), hi) except at a zero bound (max(−0, +0) is −0 here, +0 in IEEE),
    /// and it is what one x86 max and one min give with the bound as the first operand (2 instructions, against about 16
    /// for the IEEE min and max on AVX2, which must order ±0 and propagate a NaN from either side).
    /// </summary>
    static abstract TSelf Clamp(TSelf x, TSelf lo, TSelf hi);
    /// <summary>Absolute value.</summary>
    static abstract TSelf Abs(TSelf a);
    /// <summary>Square root (correctly rounded).</summary>
    static abstract TSelf Sqrt(TSelf a);
    /// <summary>Round to nearest, ties to even.</summary>
    static abstract TSelf Round(TSelf a);
    /// <summary>Round toward −∞.</summary>
    static abstract TSelf Floor(TSelf a);

    /// <summary>Mask of a == b.</summary>
    static abstract TSelf Equals(TSelf a, TSelf b);
    /// <summary>Mask of a &lt; b.</summary>
    static abstract TSelf LessThan(TSelf a, TSelf b);
    /// <summary>Mask of a ≤ b.</summary>
    static abstract TSelf LessThanOrEqual(TSelf a, TSelf b);
    /// <summary>Mask of a &gt; b.</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);
    /// <summary>Mask of a ≥ b.</summary>
    static abstract TSelf GreaterThanOrEqual(TSelf a, TSelf b);
    /// <summary>Mask of lanes that are NaN.</summary>
    static abstract TSelf IsNaN(TSelf a);
    /// <summary>Per lane: mask ? a : b (bitwise select).</summary>
    static abstract TSelf Select(TSelf mask, TSelf a, TSelf b);
    /// <summary>
    /// Per lane: mask ? a : b for a mask whose lanes are all ones or all zeros (a comparison, or comparisons combined
    /// with &amp;, |, ~). One blend instruction on x86 where the bitwise <see cref="Select"/> takes three (and, and-not,
    /// or); any other mask gives tier-dependent bits, which the tier-equality tests would catch.
    /// </summary>
    static abstract TSelf Blend(TSelf mask, TSelf a, TSelf b);

    /// <summary>Returns a * 2^n for lanes of n that are integral and in [-126, 127] (bit construction, no rounding).</summary>
    static abstract TSelf ScaleByPow2(TSelf a, TSelf n);
    /// <summary>
    /// a·2ⁿ rounded once (correctly also when the result is subnormal) for a normal and n integral in [−252, 252]; every
    /// tier gives the same bits (AVX-512 uses vscalefps, the others scale in two exact steps and round in the second).
    /// </summary>
    static abstract TSelf ScaleByPow2Rounded(TSelf a, TSelf n);
    /// <summary>Reinterprets lanes as int32 and returns the unbiased exponent as float (frexp-style split: x = m * 2^e with m in [1,2)) for finite positive normal x.</summary>
    static abstract TSelf Exponent(TSelf a);
    /// <summary>Mantissa of positive normal x scaled into [1,2).</summary>
    static abstract TSelf Mantissa(TSelf a);
    /// <summary>Sum of all lanes.</summary>
    static abstract float Sum(TSelf a);
}
