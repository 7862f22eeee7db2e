using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// Span kernels of the sparse cubic B-spline KAN path (<see cref="SparseSplineDriver"/>): each input touches its base row
/// and the 4 rows of its live window instead of all G + k + 1 columns of a dense feature row.
/// </summary>
/// <remarks>
/// <para>Compact features in groups of <see cref="Group"/> inputs: group γ holds, for every sample n, 6 blocks of 16 floats
/// [silu(x) | B_{m−3} | B_{m−2} | B_{m−1} | B_m | m] at f[((γ·rows + n)·6 + block)·16 + i mod 16] (see
/// <see cref="BSplineWindowKernel"/>; m is stored as the float m + 2²³, whose bits are 0x4B000000 + m). A sample's values
/// for a block of inputs are thus 384 contiguous bytes: with one row per sample, each input's 6 values sat in 6 lines
/// kilobytes apart, and the bucketed weight gradient, which visits samples in bucket order, missed on all of them.</para>
/// <para>Padded weights, tile by tile of <see cref="Tile"/> outputs: wp[((t·inputs + i)·R + r)·Tile + l] for output t·Tile + l.
/// Row r = 0 is the base branch, row 1 + m + q the coefficient of B_{m−3+q}; rows of functions that do not exist are
/// zero, so a window never needs a bounds test. A tile keeps one input's rows in R·256 contiguous bytes: with rows
/// strided by the output count, the rows of a block of inputs fell into a few L1 sets and evicted each other.</para>
/// <para>Lanes are outputs, and every output lane adds its terms in one fixed order (input by input: base, then q = 0..3;
/// for weight gradients: bucket by bucket, samples in ascending order), whatever the vector width. Every tier therefore
/// gives the same bits.</para>
/// </remarks>
internal static class SparseSplineKernels
{
    /// <summary>Live functions per input (cubic: k + 1 = 4).</summary>
    public const int Window = 4;
    /// <summary>Compact feature blocks per sample: silu, 4 values, window start.</summary>
    public const int Blocks = Window + 2;
    /// <summary>Outputs per tile of the padded weights (4 vectors of 16 lanes).</summary>
    public const int Tile = 64;
    /// <summary>Inputs per group of the compact features.</summary>
    public const int Group = 16;
    /// <summary>Floats per sample in a group.</summary>
    public const int SampleStride = Blocks * Group;
    private const int StartBlock = Window + 1;
    /// <summary>Floats per sample in the weight gradient's packed input stream: s, v_0 … v_3.</summary>
    public const int Packed = Window + 1;
    /// <summary>Offset of the window start within a sample's group block.</summary>
    public const int StartAt = StartBlock * Group;
    private const int StartBias = 0x4B000000;

    /// <summary>The stored form of window start m (exact for m &lt; 2²³).</summary>
    public const float StartOffset = 8388608f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint RowOf(ref float start) => 1 + (nint)(Unsafe.As<float, int>(ref start) - StartBias);

    /// <summary>
    /// y[n, l] += Σ_{j0 ≤ j &lt; j1} s·wp[j, 0, l] + Σ_q v_q·wp[j, 1 + m + q, l] for n in [n0, n1) and l &lt; 4·V.Count, where j
    /// counts inputs from the start of one group: <paramref name="f"/> is that group's sample 0, <paramref name="w"/> the
    /// tile's row 0 of the group's first input at lane 0, <paramref name="y"/> sample 0's lane 0. Two samples at a time:
    /// 8 independent accumulator chains, and the base row's loads are shared.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardTile4<V>(ref float f, int j0, int j1, ref float w, int rowsPerInput, ref float y, int yStride, int n0, int n1)
        where V : unmanaged, ISimdVec<V>
    {
        int c = V.Count;
        nint ys = yStride, inputStride = (nint)rowsPerInput * Tile;
        int n = n0;
        V z = V.Create(0f);
        for (; n + 1 < n1; n += 2)
        {
            // Two partial sums per lane (a: y, base, q = 1, 3; e: q = 0, 2) halve the FMA dependency chains: one chain
            // of 5 FMAs per input took 5 latencies for 8 FMAs of work in flight. The split is the same on every tier.
            ref float ya = ref Unsafe.Add(ref y, n * ys);
            ref float yb = ref Unsafe.Add(ref ya, ys);
            V a0 = V.Load(ref ya), a1 = V.Load(ref Unsafe.Add(ref ya, c)), a2 = V.Load(ref Unsafe.Add(ref ya, 2 * c)), a3 = V.Load(ref Unsafe.Add(ref ya, 3 * c));
            V b0 = V.Load(ref yb), b1 = V.Load(ref Unsafe.Add(ref yb, c)), b2 = V.Load(ref Unsafe.Add(ref yb, 2 * c)), b3 = V.Load(ref Unsafe.Add(ref yb, 3 * c));
            V ea0 = z, ea1 = z, ea2 = z, ea3 = z, eb0 = z, eb1 = z, eb2 = z, eb3 = z;
            ref float fa = ref Unsafe.Add(ref f, (nint)n * SampleStride);
            ref float fb = ref Unsafe.Add(ref fa, SampleStride);
            for (int j = j0; j < j1; j++)
            {
                ref float wi = ref Unsafe.Add(ref w, j * inputStride);
                ref float va = ref Unsafe.Add(ref fa, j);
                ref float vb = ref Unsafe.Add(ref fb, j);
                V sa = V.Create(va), sb = V.Create(vb);
                V w0 = V.Load(ref wi), w1 = V.Load(ref Unsafe.Add(ref wi, c)), w2 = V.Load(ref Unsafe.Add(ref wi, 2 * c)), w3 = V.Load(ref Unsafe.Add(ref wi, 3 * c));
                a0 = V.Fma(sa, w0, a0); a1 = V.Fma(sa, w1, a1); a2 = V.Fma(sa, w2, a2); a3 = V.Fma(sa, w3, a3);
                b0 = V.Fma(sb, w0, b0); b1 = V.Fma(sb, w1, b1); b2 = V.Fma(sb, w2, b2); b3 = V.Fma(sb, w3, b3);
                ref float ra = ref Unsafe.Add(ref wi, RowOf(ref Unsafe.Add(ref va, StartBlock * Group)) * Tile);
                ref float rb = ref Unsafe.Add(ref wi, RowOf(ref Unsafe.Add(ref vb, StartBlock * Group)) * Tile);
                for (int q = 0; q < Window; q += 2)
                {
                    V xa = V.Create(Unsafe.Add(ref va, (q + 1) * Group)), xb = V.Create(Unsafe.Add(ref vb, (q + 1) * Group));
                    ref float pa = ref Unsafe.Add(ref ra, q * Tile);
                    ref float pb = ref Unsafe.Add(ref rb, q * Tile);
                    ea0 = V.Fma(xa, V.Load(ref pa), ea0); ea1 = V.Fma(xa, V.Load(ref Unsafe.Add(ref pa, c)), ea1);
                    ea2 = V.Fma(xa, V.Load(ref Unsafe.Add(ref pa, 2 * c)), ea2); ea3 = V.Fma(xa, V.Load(ref Unsafe.Add(ref pa, 3 * c)), ea3);
                    eb0 = V.Fma(xb, V.Load(ref pb), eb0); eb1 = V.Fma(xb, V.Load(ref Unsafe.Add(ref pb, c)), eb1);
                    eb2 = V.Fma(xb, V.Load(ref Unsafe.Add(ref pb, 2 * c)), eb2); eb3 = V.Fma(xb, V.Load(ref Unsafe.Add(ref pb, 3 * c)), eb3);
                    xa = V.Create(Unsafe.Add(ref va, (q + 2) * Group)); xb = V.Create(Unsafe.Add(ref vb, (q + 2) * Group));
                    pa = ref Unsafe.Add(ref pa, Tile);
                    pb = ref Unsafe.Add(ref pb, Tile);
                    a0 = V.Fma(xa, V.Load(ref pa), a0); a1 = V.Fma(xa, V.Load(ref Unsafe.Add(ref pa, c)), a1);
                    a2 = V.Fma(xa, V.Load(ref Unsafe.Add(ref pa, 2 * c)), a2); a3 = V.Fma(xa, V.Load(ref Unsafe.Add(ref pa, 3 * c)), a3);
                    b0 = V.Fma(xb, V.Load(ref pb), b0); b1 = V.Fma(xb, V.Load(ref Unsafe.Add(ref pb, c)), b1);
                    b2 = V.Fma(xb, V.Load(ref Unsafe.Add(ref pb, 2 * c)), b2); b3 = V.Fma(xb, V.Load(ref Unsafe.Add(ref pb, 3 * c)), b3);
                }
            }
            V.Store(a0 + ea0, ref ya); V.Store(a1 + ea1, ref Unsafe.Add(ref ya, c)); V.Store(a2 + ea2, ref Unsafe.Add(ref ya, 2 * c)); V.Store(a3 + ea3, ref Unsafe.Add(ref ya, 3 * c));
            V.Store(b0 + eb0, ref yb); V.Store(b1 + eb1, ref Unsafe.Add(ref yb, c)); V.Store(b2 + eb2, ref Unsafe.Add(ref yb, 2 * c)); V.Store(b3 + eb3, ref Unsafe.Add(ref yb, 3 * c));
        }
        if (n < n1)
            for (int l = 0; l < 4 * c; l += c) ForwardOne<V>(ref f, j0, j1, ref Unsafe.Add(ref w, l), rowsPerInput, ref Unsafe.Add(ref y, l), yStride, n);
    }

    // The same sums, in the same association, for one sample and one vector of lanes (the odd sample of a tile).
    private static void ForwardOne<V>(ref float f, int j0, int j1, ref float w, int rowsPerInput, ref float y, int yStride, int n)
        where V : unmanaged, ISimdVec<V>
    {
        ref float yr = ref Unsafe.Add(ref y, (nint)n * yStride);
        ref float fr = ref Unsafe.Add(ref f, (nint)n * SampleStride);
        V a = V.Load(ref yr), e = V.Create(0f);
        for (int j = j0; j < j1; j++)
        {
            ref float wi = ref Unsafe.Add(ref w, (nint)j * rowsPerInput * Tile);
            ref float v = ref Unsafe.Add(ref fr, j);
            a = V.Fma(V.Create(v), V.Load(ref wi), a);
            ref float r = ref Unsafe.Add(ref wi, RowOf(ref Unsafe.Add(ref v, StartBlock * Group)) * Tile);
            for (int q = 0; q < Window; q += 2)
            {
                e = V.Fma(V.Create(Unsafe.Add(ref v, (q + 1) * Group)), V.Load(ref Unsafe.Add(ref r, q * Tile)), e);
                a = V.Fma(V.Create(Unsafe.Add(ref v, (q + 2) * Group)), V.Load(ref Unsafe.Add(ref r, (q + 1) * Tile)), a);
            }
        }
        V.Store(a + e, ref yr);
    }

    /// <summary>
    /// dx[n, j] = Σ_o g[n, o]·(s′·wp[j, 0, o] + Σ_q v′_q·wp[j, 1 + m + q, o]) for inputs j in [j0, j1) of one group, from the
    /// derivative features <paramref name="fd"/> (the group's sample 0), every tile of the padded weights (<paramref name="w"/>:
    /// tile 0, the group's first input, row 0; <paramref name="tileStride"/> floats between tiles) and g's row n. Per tile and
    /// vector the edge slopes E = s′·w_0 + Σ_q v′_q·w_{1+m+q} are formed first, so one horizontal sum per input remains.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGradSample<V>(ref float fd, int j0, int j1, ref float w, int rowsPerInput, nint tileStride, int tiles,
        ref float g, ref float dx, int n) where V : unmanaged, ISimdVec<V>
    {
        int c = V.Count;
        nint inputStride = (nint)rowsPerInput * Tile;
        ref float fr = ref Unsafe.Add(ref fd, (nint)n * SampleStride);
        for (int j = j0; j < j1; j++)
        {
            ref float v = ref Unsafe.Add(ref fr, j);
            V s = V.Create(v), v0 = V.Create(Unsafe.Add(ref v, Group)), v1 = V.Create(Unsafe.Add(ref v, 2 * Group));
            V v2 = V.Create(Unsafe.Add(ref v, 3 * Group)), v3 = V.Create(Unsafe.Add(ref v, 4 * Group));
            nint row = RowOf(ref Unsafe.Add(ref v, StartBlock * Group)) * Tile;
            V acc = V.Create(0f);
            ref float wj = ref Unsafe.Add(ref w, j * inputStride);
            for (int t = 0; t < tiles; t++)
            {
                ref float wt = ref Unsafe.Add(ref wj, t * tileStride);
                ref float wm = ref Unsafe.Add(ref wt, row);
                ref float gt = ref Unsafe.Add(ref g, t * Tile);
                for (int l = 0; l < Tile; l += c)
                {
                    V e = s * V.Load(ref Unsafe.Add(ref wt, l));
                    e = V.Fma(v0, V.Load(ref Unsafe.Add(ref wm, l)), e);
                    e = V.Fma(v1, V.Load(ref Unsafe.Add(ref wm, Tile + l)), e);
                    e = V.Fma(v2, V.Load(ref Unsafe.Add(ref wm, 2 * Tile + l)), e);
                    e = V.Fma(v3, V.Load(ref Unsafe.Add(ref wm, 3 * Tile + l)), e);
                    acc = V.Fma(V.Load(ref Unsafe.Add(ref gt, l)), e, acc);
                }
            }
            Unsafe.Add(ref dx, j) = V.Sum(acc);
        }
    }

    /// <summary>
    /// The weight gradient of one input for 4·V.Count lanes of one tile: row 0 = Σ_n s·g[n], and row 1 + m + q += Σ_{n in
    /// bucket m} v_q·g[n] for every bucket m (samples grouped by window start; <paramref name="order"/> lists them, bucket m
    /// spanning [start[m], start[m+1]), and <paramref name="packed"/> holds their (s, v_0 … v_3) in the same order). The 4×4 window sums stay in registers for a whole bucket. <paramref name="gw"/> is the input's
    /// row 0 at the first lane; rows 1.. must be zero on entry, row 0 is overwritten. <paramref name="g"/> is sample 0's first lane.
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
                V g0 = V.Load(ref gr), g1 = V.Load(ref Unsafe.Add(ref gr, c)), g2 = V.Load(ref Unsafe.Add(ref gr, 2 * c)), g3 = V.Load(ref Unsafe.Add(ref gr, 3 * c));
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
        V.Store(s0, ref gw); V.Store(s1, ref Unsafe.Add(ref gw, c)); V.Store(s2, ref Unsafe.Add(ref gw, 2 * c)); V.Store(s3, ref Unsafe.Add(ref gw, 3 * c));
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
