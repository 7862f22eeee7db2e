using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>
/// Compile-time row count (MR) of a GEMM micro-kernel and the cache blocking that goes with it; the JIT folds
/// them, so unused rows vanish. The blocking never changes the bits (only the depth blocking does, and that is fixed).
/// </summary>
internal interface IGemmRows
{
    /// <summary>Rows of C a micro-kernel call produces: 6 or 12.</summary>
    static abstract int Count { get; }

    /// <summary>Rows of op(A) packed per block (a multiple of <see cref="Count"/>).</summary>
    static abstract int Mc { get; }

    /// <summary>Columns of op(B) packed per block (a multiple of every NR the shape is used with).</summary>
    static abstract int Nc { get; }
}

/// <summary>
/// 6 rows: 12 accumulators plus 3 working registers fit the 16 registers of AVX2/SSE. Blocked as BLIS blocks its
/// Haswell/Zen sgemm: one kc × NR micro-panel of B (16 KiB at kc = 256) stays in L1 while the micro-kernel walks an
/// Mc × kc block of A (144 KiB) held in L2, and the kc × Nc block of B (1 MiB) sits in L3. Streaming the 24 bytes of A
/// per step from L2, rather than the 64 of B, halves the L2 traffic of the old order (a 512 KiB B block that filled
/// the whole L2 of a Zen core and spilled to L3).
/// </summary>
internal readonly struct GemmRows6 : IGemmRows
{
    public static int Count => 6;
    public static int Mc => 144;
    public static int Nc => 1024;
}

/// <summary>
/// 12 rows: 24 accumulators plus 3 working registers fit the 32 zmm registers of AVX-512. Mc = 12 keeps the order
/// this tier was tuned with (one A micro-panel in L1, a 512 KiB B block streamed from L2); a 32-wide B micro-panel
/// (32 KiB) would not stay in an L1 beside A.
/// </summary>
internal readonly struct GemmRows12 : IGemmRows
{
    public static int Count => 12;
    public static int Mc => 12;
    public static int Nc => 512;
}

internal static partial class Gemm
{
    /// <summary>
    /// C[0..MR, 0..NR) = alpha · Σ_p Apanel[p]ᵀ Bpanel[p] (+ beta · C), NR = 2·V.Count, on packed panels:
    /// <paramref name="pa"/> holds kc groups of MR floats (one column of op(A)), <paramref name="pb"/> kc groups
    /// of NR floats (one row of op(B)). Each output element is one FMA chain over p in order, the same chain on
    /// every width, so every tier (Scalar included) produces identical bits.
    /// </summary>
    /// <remarks>
    /// Why registers: MR×2 accumulators stay in registers for the whole k loop; per step the kernel loads two
    /// B vectors and broadcasts MR A values, i.e. 2·MR FMAs for MR+2 loads, which keeps the FMA ports busy.
    /// With beta = 0 C is only written (NaN garbage ignored); otherwise C = fma(alpha, acc, beta·C).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void MicroKernel<V, R>(int kc, float* pa, float* pb, float* c, nint ldc, float alpha, float beta)
        where V : struct, ISimdVec<V> where R : struct, IGemmRows
    {
        int w = V.Count;
        if (Sse.IsSupported)
        {
            // The C tile is needed only after the k loop: start fetching it now so the stores do not wait on misses.
            for (int i = 0; i < R.Count; i++)
            {
                Sse.Prefetch0(c + i * ldc);
                Sse.Prefetch0(c + i * ldc + 2 * w - 1);
            }
        }
        V z = V.Create(0f);
        V c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        V c60 = z, c61 = z, c70 = z, c71 = z, c80 = z, c81 = z, c90 = z, c91 = z;
        V c100 = z, c101 = z, c110 = z, c111 = z;
        int p = 0;
        if (R.Count == 6)
        {
            // B first in the FMA: with A first the JIT (.NET 10) writes every second product into the broadcast
            // register and copies it back (vfmadd213ps + vmovaps, 6 extra moves per step). Two steps per trip halve
            // the loop overhead; the chain per element is unchanged (same order of p, a·b = b·a exactly).
            for (; p + 2 <= kc; p += 2)
            {
                Step6(pa, pb, w, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
                Step6(pa + 6, pb + 2 * w, w, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, ref c40, ref c41, ref c50, ref c51);
                pa += 12;
                pb += 4 * w;
            }
        }
        for (; p < kc; p++)
        {
            V b0 = V.Load(ref pb[0]), b1 = V.Load(ref pb[w]);
            V a = V.Create(pa[0]); c00 = V.Fma(a, b0, c00); c01 = V.Fma(a, b1, c01);
            a = V.Create(pa[1]); c10 = V.Fma(a, b0, c10); c11 = V.Fma(a, b1, c11);
            a = V.Create(pa[2]); c20 = V.Fma(a, b0, c20); c21 = V.Fma(a, b1, c21);
            a = V.Create(pa[3]); c30 = V.Fma(a, b0, c30); c31 = V.Fma(a, b1, c31);
            a = V.Create(pa[4]); c40 = V.Fma(a, b0, c40); c41 = V.Fma(a, b1, c41);
            a = V.Create(pa[5]); c50 = V.Fma(a, b0, c50); c51 = V.Fma(a, b1, c51);
            if (R.Count > 6)
            {
                a = V.Create(pa[6]); c60 = V.Fma(a, b0, c60); c61 = V.Fma(a, b1, c61);
                a = V.Create(pa[7]); c70 = V.Fma(a, b0, c70); c71 = V.Fma(a, b1, c71);
                a = V.Create(pa[8]); c80 = V.Fma(a, b0, c80); c81 = V.Fma(a, b1, c81);
                a = V.Create(pa[9]); c90 = V.Fma(a, b0, c90); c91 = V.Fma(a, b1, c91);
                a = V.Create(pa[10]); c100 = V.Fma(a, b0, c100); c101 = V.Fma(a, b1, c101);
                a = V.Create(pa[11]); c110 = V.Fma(a, b0, c110); c111 = V.Fma(a, b1, c111);
            }
            pa += R.Count;
            pb += 2 * w;
        }

        V va = V.Create(alpha), vb = V.Create(beta);
        bool beta0 = beta == 0f;
        StoreRow(c, w, c00, c01, va, vb, beta0);
        StoreRow(c + ldc, w, c10, c11, va, vb, beta0);
        StoreRow(c + 2 * ldc, w, c20, c21, va, vb, beta0);
        StoreRow(c + 3 * ldc, w, c30, c31, va, vb, beta0);
        StoreRow(c + 4 * ldc, w, c40, c41, va, vb, beta0);
        StoreRow(c + 5 * ldc, w, c50, c51, va, vb, beta0);
        if (R.Count > 6)
        {
            StoreRow(c + 6 * ldc, w, c60, c61, va, vb, beta0);
            StoreRow(c + 7 * ldc, w, c70, c71, va, vb, beta0);
            StoreRow(c + 8 * ldc, w, c80, c81, va, vb, beta0);
            StoreRow(c + 9 * ldc, w, c90, c91, va, vb, beta0);
            StoreRow(c + 10 * ldc, w, c100, c101, va, vb, beta0);
            StoreRow(c + 11 * ldc, w, c110, c111, va, vb, beta0);
        }
    }

    /// <summary>One depth step of the 6-row kernel: two B vectors, six broadcasts, twelve FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Step6<V>(float* pa, float* pb, int w, ref V c00, ref V c01, ref V c10, ref V c11, ref V c20, ref V c21,
        ref V c30, ref V c31, ref V c40, ref V c41, ref V c50, ref V c51) where V : struct, ISimdVec<V>
    {
        V b0 = V.Load(ref pb[0]), b1 = V.Load(ref pb[w]);
        V a = V.Create(pa[0]); c00 = V.Fma(b0, a, c00); c01 = V.Fma(b1, a, c01);
        a = V.Create(pa[1]); c10 = V.Fma(b0, a, c10); c11 = V.Fma(b1, a, c11);
        a = V.Create(pa[2]); c20 = V.Fma(b0, a, c20); c21 = V.Fma(b1, a, c21);
        a = V.Create(pa[3]); c30 = V.Fma(b0, a, c30); c31 = V.Fma(b1, a, c31);
        a = V.Create(pa[4]); c40 = V.Fma(b0, a, c40); c41 = V.Fma(b1, a, c41);
        a = V.Create(pa[5]); c50 = V.Fma(b0, a, c50); c51 = V.Fma(b1, a, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<V>(float* c, int w, V x0, V x1, V va, V vb, bool beta0) where V : struct, ISimdVec<V>
    {
        if (beta0)
        {
            V.Store(va * x0, ref c[0]);
            V.Store(va * x1, ref c[w]);
        }
        else
        {
            V.Store(V.Fma(va, x0, vb * V.Load(ref c[0])), ref c[0]);
            V.Store(V.Fma(va, x1, vb * V.Load(ref c[w])), ref c[w]);
        }
    }

    /// <summary>
    /// Merges a raw accumulator tile (written by <see cref="MicroKernel{V,R}"/> with alpha = 1, beta = 0) into the
    /// rows × cols corner of C with the very formula of the vector store, so edge tiles match full tiles bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MergeEdge(float* tile, int nr, int rows, int cols, float* c, nint ldc, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + i * nr, ci = c + i * ldc;
            if (beta == 0f)
                for (int j = 0; j < cols; j++) ci[j] = alpha * t[j];
            else
                for (int j = 0; j < cols; j++) ci[j] = MathF.FusedMultiplyAdd(alpha, t[j], beta * ci[j]);
        }
    }
}
