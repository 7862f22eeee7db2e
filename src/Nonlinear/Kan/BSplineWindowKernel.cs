using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// The live part of a B-spline expansion: for x in [t_m, t_{m+1}) only B_{m−k}, …, B_m can be nonzero, so an input is
/// described by its interval m and those k + 1 values instead of all G + k. The values are the dense recursion's own
/// (same bits as <see cref="BSplineKernel"/>); functions outside [0, G + k) and every value for x outside [t_0, t_{G+2k})
/// or NaN are 0, with m = 0.
/// </summary>
/// <remarks>
/// Output per lane: value q (B_{m−k+q}) at dst[q·stride] for q = 0..k, and m + 2²³ (exact; its bits are 0x4B000000 + m)
/// at dst[(k+1)·stride]. Lanes are consecutive inputs, as in <see cref="IKanBasisKernel"/>.
/// </remarks>
internal readonly struct BSplineWindowKernel(BSplineKernel splines)
{
    /// <summary>Live functions per input, k + 1.</summary>
    public int Window => splines.Order + 1;

    /// <summary>Scratch floats per lane.</summary>
    public int ScratchPerLane => splines.ScratchPerLane;

    /// <summary>Writes the window of inputs i … i + V.Count − 1 (see the remarks for the layout).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Expand<V>(int i, V x, ref float dst, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
    {
        int k = splines.Order, n0 = splines.Intervals, count = splines.Count, inputs = splines.Inputs;
        ref float b = ref splines.Recurse(i, x, ref scratch, k);
        ref float t = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(splines.Knots), i);
        V one = V.Create(1f), zero = V.Create(0f);
        // m = #{p in 1..n0−1 : t_p ≤ x} when t_0 ≤ x < t_{n0}; the comparisons are exact and false for NaN.
        V inside = V.GreaterThanOrEqual(x, V.Load(ref t)) & V.LessThan(x, V.Load(ref Unsafe.Add(ref t, (nint)n0 * inputs)));
        V m = zero;
        for (int p = 1; p < n0; p++) m += V.GreaterThanOrEqual(x, V.Load(ref Unsafe.Add(ref t, (nint)p * inputs))) & one;
        m &= inside;
        for (int q = 0; q <= k; q++)
        {
            V value = zero;
            for (int j = 0; j < count; j++)
                value = V.Select(V.Equals(m, V.Create(j + k - q)), V.Load(ref Unsafe.Add(ref b, j * V.Count)), value);
            V.Store(value, ref Unsafe.Add(ref dst, q * stride));
        }
        V.Store(m + V.Create(SparseSplineKernels.StartOffset), ref Unsafe.Add(ref dst, (k + 1) * stride));
    }
}
