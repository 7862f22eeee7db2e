using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// B-splines of order k on a per-input knot vector t_0 &lt; … &lt; t_{G+2k} by the Cox–de Boor recursion
/// B_{m,0} = [t_m ≤ x &lt; t_{m+1}], B_{m,p} = (x − t_m)/(t_{m+p} − t_m)·B_{m,p−1} + (t_{m+p+1} − x)/(t_{m+p+1} − t_{m+1})·B_{m+1,p−1};
/// derivative B′_{m,k} = k·(B_{m,k−1}/(t_{m+k} − t_m) − B_{m+1,k−1}/(t_{m+k+1} − t_{m+1})). G + k functions per input.
/// </summary>
/// <remarks>
/// Dense in one pass: lanes are consecutive inputs (each with its own knots, loaded contiguously from the knot-major
/// table), so the recursion runs at full width without gathers. It computes all G + 2k order-0 indicators rather
/// than only the k + 1 live ones; that costs O(inputs·(G+2k)·k) per row, while the GEMM that consumes the
/// features costs O(inputs·(G+k)·outputs), so the expansion is never the bottleneck and needs no per-lane scatter.
/// Reciprocal knot spans are tabulated (0 where a span is empty: the 0/0 := 0 convention).
/// </remarks>
internal readonly struct BSplineKernel(int order, int intervals, int inputs, float[] knots, float[] invSpan) : IKanBasisKernel
{
    private readonly int _k = order;
    private readonly int _n0 = intervals;          // G + 2k order-0 functions
    private readonly int _inputs = inputs;
    private readonly float[] _t = knots;           // [(G+2k+1), inputs]
    private readonly float[] _inv = invSpan;       // [k, G+2k, inputs]: 1/(t_{m+p} − t_m) for p = 1..k

    /// <inheritdoc/>
    public int Count => _n0 - _k;

    /// <summary>Spline order k.</summary>
    internal int Order => _k;
    /// <summary>Order-0 intervals G + 2k.</summary>
    internal int Intervals => _n0;
    /// <summary>Knot-major knots [(G+2k+1), inputs].</summary>
    internal float[] Knots => _t;
    /// <summary>Reciprocal knot spans [k, G+2k, inputs].</summary>
    internal float[] InverseSpans => _inv;
    /// <summary>Inputs (the knot table's row length).</summary>
    internal int Inputs => _inputs;

    /// <inheritdoc/>
    public int ScratchPerLane => 2 * _n0 + 1;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Expand<V>(int i, V x, ref float dst, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
    {
        ref float b = ref Recurse(i, x, ref scratch, _k);
        for (int j = 0; j < Count; j++) V.Store(V.Load(ref Unsafe.Add(ref b, j * V.Count)), ref Unsafe.Add(ref dst, j * stride));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V InputGrad<V>(int i, V x, ref float g, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>
    {
        ref float b = ref Recurse(i, x, ref scratch, _k - 1);
        ref float inv = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_inv), (nint)(_k - 1) * _n0 * _inputs + i);
        V acc = V.Create(0f);
        V bm = V.Load(ref b);
        for (int m = 0; m < Count; m++)
        {
            // B′_m = k·(b_m/(t_{m+k} − t_m) − b_{m+1}/(t_{m+k+1} − t_{m+1})); the factor k is applied once at the end.
            V bn = V.Load(ref Unsafe.Add(ref b, (m + 1) * V.Count));
            V l = V.Load(ref Unsafe.Add(ref inv, (nint)m * _inputs));
            V r = V.Load(ref Unsafe.Add(ref inv, (nint)(m + 1) * _inputs));
            acc = V.Fma(V.Load(ref Unsafe.Add(ref g, m * stride)), l * bm - r * bn, acc);
            bm = bn;
        }
        return acc * V.Create(_k);
    }

    // Scratch holds d[m] = x − t_m (n0 + 1 vectors) then b[m] = B_{m,p}(x) for p = 0..top, m < n0 − p; returns b.
    // BSplineWindowKernel reuses it, so the sparse path's live values are the dense features' bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref float Recurse<V>(int i, V x, ref float scratch, int top) where V : unmanaged, ISimdVec<V>
    {
        int c = V.Count;
        ref float t = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_t), i);
        ref float d = ref scratch;
        ref float b = ref Unsafe.Add(ref scratch, (_n0 + 1) * c);
        V one = V.Create(1f), zero = V.Create(0f);
        V dPrev = x - V.Load(ref t);
        V.Store(dPrev, ref d);
        for (int m = 0; m < _n0; m++)
        {
            // t_m ≤ x < t_{m+1}  ⇔  d_m ≥ 0 and d_{m+1} < 0 (the sign of x − t is exact).
            V dNext = x - V.Load(ref Unsafe.Add(ref t, (nint)(m + 1) * _inputs));
            V.Store(dNext, ref Unsafe.Add(ref d, (m + 1) * c));
            V.Store(V.GreaterThanOrEqual(dPrev, zero) & V.LessThan(dNext, zero) & one, ref Unsafe.Add(ref b, m * c));
            dPrev = dNext;
        }
        for (int p = 1; p <= top; p++) Raise<V>(i, ref scratch, p);
        return ref b;
    }

    // One level of the recursion, B_{·,p−1} → B_{·,p}, in place on the scratch left by Recurse (the sparse path raises
    // the last level itself, after reading the order-(k−1) values it needs for derivatives).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Raise<V>(int i, ref float scratch, int p) where V : unmanaged, ISimdVec<V>
    {
        int c = V.Count;
        ref float d = ref scratch;
        ref float b = ref Unsafe.Add(ref scratch, (_n0 + 1) * c);
        ref float inv = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_inv), (nint)(p - 1) * _n0 * _inputs + i);
        V bm = V.Load(ref b);
        V rInv = V.Load(ref inv);
        for (int m = 0; m < _n0 - p; m++)
        {
            V bn = V.Load(ref Unsafe.Add(ref b, (m + 1) * c));
            V lInv = rInv;
            rInv = V.Load(ref Unsafe.Add(ref inv, (nint)(m + 1) * _inputs));
            V left = V.Load(ref Unsafe.Add(ref d, m * c)) * lInv;
            V right = V.Load(ref Unsafe.Add(ref d, (m + p + 1) * c)) * rInv;
            V.Store(left * bm - right * bn, ref Unsafe.Add(ref b, m * c));
            bm = bn;
        }
    }
}
