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
/// Output per lane: value q (B_{m−k+q}) at dst[q·stride] for q = 0..k, m + 2²³ (exact; its bits are 0x4B000000 + m)
/// at dst[(k+1)·stride], and on request the derivatives B′_{m−k+q} at dst[(k+3+q)·stride] (slot k + 2 is the caller's). Lanes are consecutive inputs, as in <see cref="IKanBasisKernel"/>.
/// </remarks>
internal readonly struct BSplineWindowKernel(BSplineKernel splines)
{
    /// <summary>Live functions per input, k + 1.</summary>
    public int Window => splines.Order + 1;

    /// <summary>Scratch floats per lane (the recursion's, then G + k derivative values).</summary>
    public int ScratchPerLane => splines.ScratchPerLane + splines.Count;

    /// <summary>
    /// Writes the window of inputs i … i + V.Count − 1 (see the remarks for the layout); with <paramref name="derivatives"/>
    /// also B′_{m−k+q}(x) = k·(B_{m−k+q,k−1}/(t_{m+q} − t_{m−k+q}) − B_{m−k+q+1,k−1}/(t_{m+q+1} − t_{m−k+q+1})) (the dense
    /// kernel's formula) at dst[(k+3+q)·stride], from the same recursion.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Expand<V>(int i, V x, ref float dst, nint stride, ref float scratch, bool derivatives) where V : unmanaged, ISimdVec<V>
    {
        int k = splines.Order;
        V m = Start(i, x);
        if (!derivatives)
        {
            Store(ref splines.Recurse(i, x, ref scratch, k), m, ref dst, stride, writeStart: true);
            return;
        }
        int c = V.Count, inputs = splines.Inputs, n0 = splines.Intervals;
        ref float b = ref splines.Recurse(i, x, ref scratch, k - 1);
        ref float dv = ref Unsafe.Add(ref scratch, splines.ScratchPerLane * c);
        ref float inv = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(splines.InverseSpans), (nint)(k - 1) * n0 * inputs + i);
        V bm = V.Load(ref b), kv = V.Create(k);
        for (int j = 0; j < splines.Count; j++)
        {
            V bn = V.Load(ref Unsafe.Add(ref b, (j + 1) * c));
            V l = V.Load(ref Unsafe.Add(ref inv, (nint)j * inputs)), r = V.Load(ref Unsafe.Add(ref inv, (nint)(j + 1) * inputs));
            V.Store((l * bm - r * bn) * kv, ref Unsafe.Add(ref dv, j * c));
            bm = bn;
        }
        splines.Raise<V>(i, ref scratch, k);
        Store(ref b, m, ref dst, stride, writeStart: true);
        Store(ref dv, m, ref Unsafe.Add(ref dst, (k + 3) * stride), stride, writeStart: false);
    }

    // m = #{p in 1..n0−1 : t_p ≤ x} when t_0 ≤ x < t_{n0}, else 0; the comparisons are exact and false for NaN.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private V Start<V>(int i, V x) where V : unmanaged, ISimdVec<V>
    {
        int n0 = splines.Intervals, inputs = splines.Inputs;
        ref float t = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(splines.Knots), i);
        V one = V.Create(1f);
        V inside = V.GreaterThanOrEqual(x, V.Load(ref t)) & V.LessThan(x, V.Load(ref Unsafe.Add(ref t, (nint)n0 * inputs)));
        V m = V.Create(0f);
        for (int p = 1; p < n0; p++) m += V.GreaterThanOrEqual(x, V.Load(ref Unsafe.Add(ref t, (nint)p * inputs))) & one;
        return m & inside;
    }

    // Values q = 0..k of the window (functions outside [0, Count) are 0), then m + 2²³.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store<V>(ref float b, V m, ref float dst, nint stride, bool writeStart) where V : unmanaged, ISimdVec<V>
    {
        int k = splines.Order, count = splines.Count;
        for (int q = 0; q <= k; q++)
        {
            V value = V.Create(0f);
            for (int j = 0; j < count; j++)
                value = V.Select(V.Equals(m, V.Create(j + k - q)), V.Load(ref Unsafe.Add(ref b, j * V.Count)), value);
            V.Store(value, ref Unsafe.Add(ref dst, q * stride));
        }
        if (writeStart) V.Store(m + V.Create(SparseSplineKernels.StartOffset), ref Unsafe.Add(ref dst, (k + 1) * stride));
    }
}
