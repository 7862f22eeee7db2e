using System.Runtime.CompilerServices;
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
internal readonly struct BSplineKernel(int order, int intervals, float[] knots, float[] invSpan) : IKanBasisKernel
{
    private readonly int _k = order;
    private readonly int _n0 = intervals;          // G + 2k order-0 functions
    private readonly float[] _t = knots;           // [(G+2k+1), inputs]
    private readonly float[] _inv = invSpan;       // [k, G+2k, inputs]: 1/(t_{m+p} − t_m) for p = 1..k

    /// <inheritdoc/>
    public int Count => _n0 - _k;

    // Not inlined: the scratch is stackalloc'ed per call (a stackalloc inlined into the driver's loop would grow the stack).
    /// <inheritdoc/>
    public void Expand<V>(int i, V x, ref float dst, nint stride) where V : unmanaged, ISimdVec<V>
    {
        Span<V> d = stackalloc V[_n0 + 1];
        Span<V> b = stackalloc V[_n0];
        Recurse(i, x, d, b, _k);
        for (int j = 0; j < Count; j++) V.Store(b[j], ref Unsafe.Add(ref dst, j * stride));
    }

    /// <inheritdoc/>
    public V InputGrad<V>(int i, V x, ref float g, nint stride) where V : unmanaged, ISimdVec<V>
    {
        Span<V> d = stackalloc V[_n0 + 1];
        Span<V> b = stackalloc V[_n0];
        Recurse(i, x, d, b, _k - 1);
        int inputs = (int)stride;
        nint row = (nint)(_k - 1) * _n0 * inputs + i;
        V acc = V.Create(0f);
        for (int m = 0; m < Count; m++)
        {
            // B′_m = k·(b_m/(t_{m+k} − t_m) − b_{m+1}/(t_{m+k+1} − t_{m+1})); the factor k is applied once at the end.
            V l = V.Load(ref _inv[row + (nint)m * inputs]);
            V r = V.Load(ref _inv[row + (nint)(m + 1) * inputs]);
            V dm = l * b[m] - r * b[m + 1];
            acc = V.Fma(V.Load(ref Unsafe.Add(ref g, m * stride)), dm, acc);
        }
        return acc * V.Create(_k);
    }

    // d[m] = x − t_m; b[m] = B_{m,p}(x) for p = 0..top, m < n0 − p.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Recurse<V>(int i, V x, Span<V> d, Span<V> b, int top) where V : unmanaged, ISimdVec<V>
    {
        int inputs = _t.Length / (_n0 + 1);
        V one = V.Create(1f);
        for (int m = 0; m <= _n0; m++) d[m] = x - V.Load(ref _t[(nint)m * inputs + i]);
        // t_m ≤ x < t_{m+1}  ⇔  d_m ≥ 0 and d_{m+1} < 0 (x − t is exact in sign).
        V zero = V.Create(0f);
        for (int m = 0; m < _n0; m++)
            b[m] = V.GreaterThanOrEqual(d[m], zero) & V.LessThan(d[m + 1], zero) & one;
        for (int p = 1; p <= top; p++)
        {
            nint row = (nint)(p - 1) * _n0 * inputs + i;
            for (int m = 0; m < _n0 - p; m++)
            {
                V left = d[m] * V.Load(ref _inv[row + (nint)m * inputs]);
                V right = d[m + p + 1] * V.Load(ref _inv[row + (nint)(m + 1) * inputs]);
                b[m] = left * b[m] - right * b[m + 1];
            }
        }
    }
}
