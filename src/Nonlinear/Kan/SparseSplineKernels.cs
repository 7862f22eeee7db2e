using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// Span kernels of the sparse cubic B-spline KAN path (<see cref="SparseSplineDriver"/>): each input touches its base row
/// and the 4 rows of its live window instead of all G + k + 1 columns of a dense feature row.
/// </summary>
/// <remarks>
/// <para>Staged windows (<see cref="SparseSplineBuckets"/>) in groups of <see cref="Group"/> inputs: group γ holds, for every
/// sample n, 11 blocks of 16 floats [silu(x) | B_{m−3} … B_m | m | silu′(x) | B′_{m−3} … B′_m] at
/// f[((γ·rows + n)·11 + block)·16 + i mod 16] (see <see cref="BSplineWindowKernel"/>; m is stored as the float m + 2²³,
/// whose bits are 0x4B000000 + m). The bucket sort then reads each sample's group block once, contiguously. The kernels
/// below read the sorted records (s, v_0 … v_3), or (s′, v′_0 … v′_3), <see cref="Packed"/> floats each.</para>
/// <para>Padded weights, tile by tile of <see cref="Tile"/> outputs: wp[((t·inputs + i)·R + r)·Tile + l] for output t·Tile + l.
/// Row r = 0 is the base branch, row 1 + m + q the coefficient of B_{m−3+q}; rows of functions that do not exist are
/// zero, so a window never needs a bounds test. A tile keeps one input's rows in R·256 contiguous bytes, so a bucket's
/// 5 rows are nearby lines (strided by the output count, rows of neighbouring inputs fell into a few L1 sets).</para>
/// <para>Lanes are outputs, and every output lane adds its terms in one fixed order (input by input: base, then q = 0..3;
/// for weight gradients: chunk by chunk, bucket by bucket, samples in ascending order), whatever the vector width, so
/// every tier gives the same bits for y and the weight gradients. The input gradient ends in a horizontal sum whose
/// association follows the width.</para>
/// </remarks>
internal static class SparseSplineKernels
{
    /// <summary>Live functions per input (cubic: k + 1 = 4).</summary>
    public const int Window = 4;
    /// <summary>Staging blocks per sample: silu, 4 values, window start, silu′, 4 derivatives.</summary>
    public const int Blocks = 2 * Window + 3;
    /// <summary>First block of the derivatives (silu′).</summary>
    public const int DerivativeBlock = Window + 2;
    /// <summary>Outputs per tile of the padded weights (4 vectors of 16 lanes).</summary>
    public const int Tile = 64;
    /// <summary>Inputs per group of the staged windows.</summary>
    public const int Group = 16;
    /// <summary>Floats per sample in a group.</summary>
    public const int SampleStride = Blocks * Group;
    private const int StartBlock = Window + 1;
    /// <summary>Floats per sorted record: s, v_0 … v_3 (or their derivatives).</summary>
    public const int Packed = Window + 1;
    /// <summary>Offset of the window start within a sample's group block.</summary>
    public const int StartAt = StartBlock * Group;
    private const int StartBias = 0x4B000000;

    /// <summary>The stored form of window start m (exact for m &lt; 2²³).</summary>
    public const float StartOffset = 8388608f;


    /// <summary>
    /// y[n, l] += s·w[0, l] + Σ_q v_q·w[1 + m + q, l] for every sample n of one input's buckets and l &lt; 4·V.Count: the 5
    /// rows of a bucket stay in registers while its samples stream past (<paramref name="packed"/> holds (s, v_0 … v_3) in
    /// bucket order, <paramref name="order"/> the sample of each position). <paramref name="w"/> is the input's row 0 in
    /// one tile at the first lane, <paramref name="y"/> sample 0's first lane. Per lane the terms go in the order s, v_0 … v_3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardTile4<V>(ref float packed, ReadOnlySpan<int> order, ReadOnlySpan<int> start, ref float w, ref float y, int yStride)
        where V : unmanaged, ISimdVec<V>
    {
        int c = V.Count;
        nint ys = yStride;
        Load4(ref w, out V b0, out V b1, out V b2, out V b3);
        for (int m = 0; m + 1 < start.Length; m++)
        {
            int p0 = start[m], p1 = start[m + 1];
            if (p0 == p1) continue;
            ref float r = ref Unsafe.Add(ref w, (1 + (nint)m) * Tile);
            Load4(ref r, out V w00, out V w01, out V w02, out V w03);
            Load4(ref Unsafe.Add(ref r, Tile), out V w10, out V w11, out V w12, out V w13);
            Load4(ref Unsafe.Add(ref r, 2 * Tile), out V w20, out V w21, out V w22, out V w23);
            Load4(ref Unsafe.Add(ref r, 3 * Tile), out V w30, out V w31, out V w32, out V w33);
            int p = p0;
            // Two samples per step: their FMA chains (5 per vector) interleave, so 8 independent FMAs are always ready.
            for (; p + 1 < p1; p += 2)
            {
                ref float ya = ref Unsafe.Add(ref y, order[p] * ys);
                ref float yb = ref Unsafe.Add(ref y, order[p + 1] * ys);
                ref float fa = ref Unsafe.Add(ref packed, (nint)p * Packed);
                ref float fb = ref Unsafe.Add(ref fa, Packed);
                Load4(ref ya, out V a0, out V a1, out V a2, out V a3);
                Load4(ref yb, out V c0, out V c1, out V c2, out V c3);
                V u = V.Create(fa), v = V.Create(fb);
                a0 = V.Fma(u, b0, a0); c0 = V.Fma(v, b0, c0); a1 = V.Fma(u, b1, a1); c1 = V.Fma(v, b1, c1);
                a2 = V.Fma(u, b2, a2); c2 = V.Fma(v, b2, c2); a3 = V.Fma(u, b3, a3); c3 = V.Fma(v, b3, c3);
                u = V.Create(Unsafe.Add(ref fa, 1)); v = V.Create(Unsafe.Add(ref fb, 1));
                a0 = V.Fma(u, w00, a0); c0 = V.Fma(v, w00, c0); a1 = V.Fma(u, w01, a1); c1 = V.Fma(v, w01, c1);
                a2 = V.Fma(u, w02, a2); c2 = V.Fma(v, w02, c2); a3 = V.Fma(u, w03, a3); c3 = V.Fma(v, w03, c3);
                u = V.Create(Unsafe.Add(ref fa, 2)); v = V.Create(Unsafe.Add(ref fb, 2));
                a0 = V.Fma(u, w10, a0); c0 = V.Fma(v, w10, c0); a1 = V.Fma(u, w11, a1); c1 = V.Fma(v, w11, c1);
                a2 = V.Fma(u, w12, a2); c2 = V.Fma(v, w12, c2); a3 = V.Fma(u, w13, a3); c3 = V.Fma(v, w13, c3);
                u = V.Create(Unsafe.Add(ref fa, 3)); v = V.Create(Unsafe.Add(ref fb, 3));
                a0 = V.Fma(u, w20, a0); c0 = V.Fma(v, w20, c0); a1 = V.Fma(u, w21, a1); c1 = V.Fma(v, w21, c1);
                a2 = V.Fma(u, w22, a2); c2 = V.Fma(v, w22, c2); a3 = V.Fma(u, w23, a3); c3 = V.Fma(v, w23, c3);
                u = V.Create(Unsafe.Add(ref fa, 4)); v = V.Create(Unsafe.Add(ref fb, 4));
                a0 = V.Fma(u, w30, a0); c0 = V.Fma(v, w30, c0); a1 = V.Fma(u, w31, a1); c1 = V.Fma(v, w31, c1);
                a2 = V.Fma(u, w32, a2); c2 = V.Fma(v, w32, c2); a3 = V.Fma(u, w33, a3); c3 = V.Fma(v, w33, c3);
                V.Store(a0, ref ya); V.Store(a1, ref Unsafe.Add(ref ya, c)); V.Store(a2, ref Unsafe.Add(ref ya, 2 * c)); V.Store(a3, ref Unsafe.Add(ref ya, 3 * c));
                V.Store(c0, ref yb); V.Store(c1, ref Unsafe.Add(ref yb, c)); V.Store(c2, ref Unsafe.Add(ref yb, 2 * c)); V.Store(c3, ref Unsafe.Add(ref yb, 3 * c));
            }
            if (p < p1)
            {
                ref float yr = ref Unsafe.Add(ref y, order[p] * ys);
                ref float fr = ref Unsafe.Add(ref packed, (nint)p * Packed);
                Load4(ref yr, out V y0, out V y1, out V y2, out V y3);
                V v = V.Create(fr);
                y0 = V.Fma(v, b0, y0); y1 = V.Fma(v, b1, y1); y2 = V.Fma(v, b2, y2); y3 = V.Fma(v, b3, y3);
                v = V.Create(Unsafe.Add(ref fr, 1));
                y0 = V.Fma(v, w00, y0); y1 = V.Fma(v, w01, y1); y2 = V.Fma(v, w02, y2); y3 = V.Fma(v, w03, y3);
                v = V.Create(Unsafe.Add(ref fr, 2));
                y0 = V.Fma(v, w10, y0); y1 = V.Fma(v, w11, y1); y2 = V.Fma(v, w12, y2); y3 = V.Fma(v, w13, y3);
                v = V.Create(Unsafe.Add(ref fr, 3));
                y0 = V.Fma(v, w20, y0); y1 = V.Fma(v, w21, y1); y2 = V.Fma(v, w22, y2); y3 = V.Fma(v, w23, y3);
                v = V.Create(Unsafe.Add(ref fr, 4));
                y0 = V.Fma(v, w30, y0); y1 = V.Fma(v, w31, y1); y2 = V.Fma(v, w32, y2); y3 = V.Fma(v, w33, y3);
                V.Store(y0, ref yr); V.Store(y1, ref Unsafe.Add(ref yr, c)); V.Store(y2, ref Unsafe.Add(ref yr, 2 * c)); V.Store(y3, ref Unsafe.Add(ref yr, 3 * c));
            }
        }
    }

    /// <summary>
    /// acc[n] += Σ_l g[n, l]·(s′·w[0, l] + Σ_q v′_q·w[1 + m + q, l]) over 4·V.Count lanes of one tile, for every sample of one
    /// input's buckets (<paramref name="packed"/>: (s′, v′_0 … v′_3) in bucket order). <paramref name="acc"/> holds V.Count
    /// partial sums per sample, indexed from <paramref name="firstRow"/>; their horizontal sum, after every tile, is dx[n, i].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGradTile4<V>(ref float packed, ReadOnlySpan<int> order, ReadOnlySpan<int> start, ref float w, ref float g, int gStride,
        ref float acc, int firstRow) where V : unmanaged, ISimdVec<V>
    {
        int c = V.Count;
        nint gs = gStride;
        Load4(ref w, out V b0, out V b1, out V b2, out V b3);
        for (int m = 0; m + 1 < start.Length; m++)
        {
            int p0 = start[m], p1 = start[m + 1];
            if (p0 == p1) continue;
            ref float r = ref Unsafe.Add(ref w, (1 + (nint)m) * Tile);
            Load4(ref r, out V w00, out V w01, out V w02, out V w03);
            Load4(ref Unsafe.Add(ref r, Tile), out V w10, out V w11, out V w12, out V w13);
            Load4(ref Unsafe.Add(ref r, 2 * Tile), out V w20, out V w21, out V w22, out V w23);
            Load4(ref Unsafe.Add(ref r, 3 * Tile), out V w30, out V w31, out V w32, out V w33);
            for (int p = p0; p < p1; p++)
            {
                int n = order[p];
                ref float gr = ref Unsafe.Add(ref g, n * gs);
                ref float fr = ref Unsafe.Add(ref packed, (nint)p * Packed);
                V s = V.Create(fr), d0 = V.Create(Unsafe.Add(ref fr, 1)), d1 = V.Create(Unsafe.Add(ref fr, 2));
                V d2 = V.Create(Unsafe.Add(ref fr, 3)), d3 = V.Create(Unsafe.Add(ref fr, 4));
                // E = the edge slopes of these lanes at this sample; the sample's share of dx is Σ_l g·E.
                V e = V.Fma(d3, w30, V.Fma(d2, w20, V.Fma(d1, w10, V.Fma(d0, w00, s * b0))));
                V a = V.Load(ref gr) * e;
                e = V.Fma(d3, w31, V.Fma(d2, w21, V.Fma(d1, w11, V.Fma(d0, w01, s * b1))));
                a = V.Fma(V.Load(ref Unsafe.Add(ref gr, c)), e, a);
                e = V.Fma(d3, w32, V.Fma(d2, w22, V.Fma(d1, w12, V.Fma(d0, w02, s * b2))));
                a = V.Fma(V.Load(ref Unsafe.Add(ref gr, 2 * c)), e, a);
                e = V.Fma(d3, w33, V.Fma(d2, w23, V.Fma(d1, w13, V.Fma(d0, w03, s * b3))));
                a = V.Fma(V.Load(ref Unsafe.Add(ref gr, 3 * c)), e, a);
                ref float ar = ref Unsafe.Add(ref acc, (nint)(n - firstRow) * c);
                V.Store(V.Load(ref ar) + a, ref ar);
            }
        }
    }

    /// <summary>
    /// The weight gradient of one input for 4·V.Count lanes of one tile: row 0 += Σ_n s·g[n], and row 1 + m + q += Σ_{n in
    /// bucket m} v_q·g[n] for every bucket m (samples grouped by window start; <paramref name="order"/> lists them, bucket m
    /// spanning [start[m], start[m+1]), and <paramref name="packed"/> holds their (s, v_0 … v_3) in the same order). The 4×4 window sums stay in registers for a whole bucket. <paramref name="gw"/> is the input's
    /// row 0 at the first lane; every row accumulates (zero them before the first chunk of samples). <paramref name="g"/> is sample 0's first lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradTile4<V>(ref float packed, ReadOnlySpan<int> order, ReadOnlySpan<int> start,
        ref float g, int gStride, ref float gw) where V : unmanaged, ISimdVec<V>
    {
        int c = V.Count;
        nint gs = gStride;
        V z = V.Create(0f);
        V s0 = z, s1 = z, s2 = z, s3 = z;
        for (int m = 0; m + 1 < start.Length; m++)
        {
            int p0 = start[m], p1 = start[m + 1];
            if (p0 == p1) continue;
            V a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
            V a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
            for (int p = p0; p < p1; p++)
            {
                int n = order[p];
                ref float gr = ref Unsafe.Add(ref g, n * gs);
                Load4(ref gr, out V g0, out V g1, out V g2, out V g3);
                ref float fr = ref Unsafe.Add(ref packed, (nint)p * Packed);
                V v = V.Create(fr);
                s0 = V.Fma(v, g0, s0); s1 = V.Fma(v, g1, s1); s2 = V.Fma(v, g2, s2); s3 = V.Fma(v, g3, s3);
                v = V.Create(Unsafe.Add(ref fr, 1));
                a00 = V.Fma(v, g0, a00); a01 = V.Fma(v, g1, a01); a02 = V.Fma(v, g2, a02); a03 = V.Fma(v, g3, a03);
                v = V.Create(Unsafe.Add(ref fr, 2));
                a10 = V.Fma(v, g0, a10); a11 = V.Fma(v, g1, a11); a12 = V.Fma(v, g2, a12); a13 = V.Fma(v, g3, a13);
                v = V.Create(Unsafe.Add(ref fr, 3));
                a20 = V.Fma(v, g0, a20); a21 = V.Fma(v, g1, a21); a22 = V.Fma(v, g2, a22); a23 = V.Fma(v, g3, a23);
                v = V.Create(Unsafe.Add(ref fr, 4));
                a30 = V.Fma(v, g0, a30); a31 = V.Fma(v, g1, a31); a32 = V.Fma(v, g2, a32); a33 = V.Fma(v, g3, a33);
            }
            ref float r = ref Unsafe.Add(ref gw, (1 + (nint)m) * Tile);
            AddTo(ref r, c, a00, a01, a02, a03);
            AddTo(ref Unsafe.Add(ref r, Tile), c, a10, a11, a12, a13);
            AddTo(ref Unsafe.Add(ref r, 2 * Tile), c, a20, a21, a22, a23);
            AddTo(ref Unsafe.Add(ref r, 3 * Tile), c, a30, a31, a32, a33);
        }
        AddTo(ref gw, c, s0, s1, s2, s3);
    }

    // Four consecutive vectors: one 4-vector row of a tile (the kernels keep a bucket's rows in registers).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load4<V>(ref float r, out V v0, out V v1, out V v2, out V v3) where V : unmanaged, ISimdVec<V>
    {
        v0 = V.Load(ref r);
        v1 = V.Load(ref Unsafe.Add(ref r, V.Count));
        v2 = V.Load(ref Unsafe.Add(ref r, 2 * V.Count));
        v3 = V.Load(ref Unsafe.Add(ref r, 3 * V.Count));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<V>(ref float r, int c, V a0, V a1, V a2, V a3) where V : unmanaged, ISimdVec<V>
    {
        V.Store(V.Load(ref r) + a0, ref r);
        V.Store(V.Load(ref Unsafe.Add(ref r, c)) + a1, ref Unsafe.Add(ref r, c));
        V.Store(V.Load(ref Unsafe.Add(ref r, 2 * c)) + a2, ref Unsafe.Add(ref r, 2 * c));
        V.Store(V.Load(ref Unsafe.Add(ref r, 3 * c)) + a3, ref Unsafe.Add(ref r, 3 * c));
    }

    /// <summary>Window start m of a compact feature (see the remarks).</summary>
    public static int StartOf(float stored) => BitConverter.SingleToInt32Bits(stored) - StartBias;
}
