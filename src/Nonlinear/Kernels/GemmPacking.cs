using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

internal static partial class Gemm
{
    /// <summary>
    /// Packs the rows × kb block of op(A) starting at (i0, p0) into ⌈rows/mr⌉ micro-panels of kb × mr floats:
    /// panel q holds dst[q·kb·mr + p·mr + i] = op(A)[i0 + q·mr + i, p0 + p], rows past the end padded with zeros so
    /// the micro-kernel never needs a row mask. Packing reads the transposed layout directly, so Aᵀ·B never
    /// materialises Aᵀ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(bool transA, float* a, nint lda, int i0, int rows, int p0, int kb, int mr, float* dst)
    {
        if (transA)
        {
            PackRowsIntoPanels(a + p0 * lda + i0, lda, kb, rows, mr, dst);
            return;
        }
        for (int ir = 0; ir < rows; ir += mr)
        {
            int r = Math.Min(mr, rows - ir);
            float* panel = dst + (nint)ir * kb, src = a + (i0 + ir) * lda + p0;
            // op(A)[i, p] = a[(i0+i)·lda + p0 + p]: a transpose of the r × kb block into stride mr.
            if (r == 6 && mr == 6 && Avx.IsSupported)
            {
                Transpose6Rows(src, lda, kb, panel);
                continue;
            }
            TransposeInto(src, lda, r, kb, panel, mr);
            for (int i = r; i < mr; i++)
                for (int p = 0; p < kb; p++) panel[p * mr + i] = 0f;
        }
    }

    /// <summary>
    /// Packs the kb × cols block of op(B) at (p0, j0) into ⌈cols/nr⌉ panels of kb × nr floats:
    /// panel q holds dst[q·kb·nr + p·nr + j] = op(B)[p0+p, j0+q·nr+j], zero-padded past <paramref name="cols"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(bool transB, float* b, nint ldb, int p0, int kb, int j0, int cols, int nr, float* dst)
    {
        if (!transB)
        {
            PackRowsIntoPanels(b + p0 * ldb + j0, ldb, kb, cols, nr, dst);
            return;
        }
        for (int q = 0; q * nr < cols; q++)
        {
            int w = Math.Min(nr, cols - q * nr), j = j0 + q * nr;
            float* panel = dst + (nint)q * kb * nr;
            // op(B)[p, j] = b[j·ldb + p]: a transpose of the w × kb block of stored rows into stride nr.
            TransposeInto(b + j * ldb + p0, ldb, w, kb, panel, nr);
            for (int jj = w; jj < nr; jj++)
                for (int p = 0; p < kb; p++) panel[p * nr + jj] = 0f;
        }
    }

    /// <summary>
    /// dst[q·kb·width + p·width + j] = src[p·lds + q·width + j] for p &lt; kb, q·width + j &lt; cols, zeros past
    /// <paramref name="cols"/>: a kb × cols block whose rows are contiguous (op(B) stored K×N, op(A) stored K×M) cut
    /// into width-wide panels.
    /// </summary>
    /// <remarks>
    /// Why eight source rows at a time across every panel rather than one panel down all kb rows: the panel-by-panel
    /// walk touches one cache line per row at a stride of ldb (one page apart for ldb = 1000), so each panel paid kb
    /// cache misses the prefetchers did not hide — the Aᵀ·B packing of the snn fc2 weight gradient ([1000,3200]ᵀ·
    /// [3200,10]) ran at about 1.4 GB/s. Eight rows read left to right are eight sequential streams, and each panel
    /// receives a contiguous run of 8·width floats.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackRowsIntoPanels(float* src, nint lds, int kb, int cols, int width, float* dst)
    {
        int full = cols / width, rest = cols - full * width;
        nint panelStride = (nint)kb * width;
        for (int p0 = 0; p0 < kb; p0 += 8)
        {
            int pe = Math.Min(kb, p0 + 8);
            for (int q = 0; q < full; q++)
            {
                float* d = dst + q * panelStride + p0 * width, s = src + p0 * lds + q * width;
                for (int p = p0; p < pe; p++, d += width, s += lds) CopyRun(s, d, width);
            }
            if (rest > 0)
            {
                float* d = dst + full * panelStride + p0 * width, s = src + p0 * lds + full * width;
                for (int p = p0; p < pe; p++, d += width, s += lds)
                {
                    int j = 0;
                    for (; j < rest; j++) d[j] = s[j];
                    for (; j < width; j++) d[j] = 0f;
                }
            }
        }
    }

    /// <summary>Copies one panel row of <paramref name="width"/> floats (6, 8, 12, 16 or 32: every MR and NR in use).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyRun(float* s, float* d, int width)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j + 8 <= width; j += 8) Vector256.Store(Vector256.Load(s + j), d + j);
        for (; j + 4 <= width; j += 4) Vector128.Store(Vector128.Load(s + j), d + j);
        if (j + 2 <= width)
        {
            *(ulong*)(d + j) = *(ulong*)(s + j);
            j += 2;
        }
        for (; j < width; j++) d[j] = s[j];
    }

    /// <summary>dst[p·ldd + r] = src[r·lds + p] for r &lt; rows, p &lt; cols; 8×8 AVX blocks where available, since a
    /// scalar transpose writes one float per strided store and dominated the packing time of Aᵀ-free layouts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TransposeInto(float* src, nint lds, int rows, int cols, float* dst, nint ldd)
    {
        int r = 0;
        if (Avx.IsSupported)
            for (; r + 8 <= rows; r += 8)
            {
                int p = 0;
                for (; p + 8 <= cols; p += 8) Transpose8x8(src + r * lds + p, lds, dst + p * ldd + r, ldd);
                for (; p < cols; p++)
                    for (int rr = r; rr < r + 8; rr++) dst[p * ldd + rr] = src[rr * lds + p];
            }
        // The 12-row panels of the widest tier leave 4 rows after the 8×8 blocks: 4×4 blocks, not strided scalar stores.
        if (Sse.IsSupported)
            for (; r + 4 <= rows; r += 4)
            {
                int p = 0;
                for (; p + 4 <= cols; p += 4) Transpose4x4(src + r * lds + p, lds, dst + p * ldd + r, ldd);
                for (; p < cols; p++)
                    for (int rr = r; rr < r + 4; rr++) dst[p * ldd + rr] = src[rr * lds + p];
            }
        for (; r < rows; r++)
        {
            float* s = src + r * lds;
            float* d = dst + r;
            for (int p = 0; p < cols; p++) d[p * ldd] = s[p];
        }
    }

    /// <summary>
    /// dst[p·6 + r] = src[r·lds + p] for the 6 rows of an AVX2 micro-panel: 8 columns at a time through the 8×8
    /// network with two zero rows, stored as 8-float rows 6 floats apart in increasing order, so each store's two
    /// surplus floats are overwritten by the next one. The very last row is stored as 4 + 2 floats: nothing is written
    /// past the panel, because the next panel of a shared packing may be packed by another thread at the same time.
    /// Replaces 4×4 blocks plus strided scalar stores for rows 4–5.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Transpose6Rows(float* src, nint lds, int cols, float* dst)
    {
        int p = 0;
        for (; p + 8 <= cols; p += 8)
        {
            float* s = src + p;
            Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds), r2 = Avx.LoadVector256(s + 2 * lds),
                r3 = Avx.LoadVector256(s + 3 * lds), r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds);
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3),
                t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE),
                u4 = Avx.Shuffle(t4, t4, 0x44), u5 = Avx.Shuffle(t4, t4, 0xEE), u6 = Avx.Shuffle(t5, t5, 0x44), u7 = Avx.Shuffle(t5, t5, 0xEE);
            float* d = dst + p * 6;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + 6, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 12, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 18, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 24, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 30, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 36, Avx.Permute2x128(u2, u6, 0x31));
            Vector256<float> last = Avx.Permute2x128(u3, u7, 0x31);
            if (p + 16 <= cols) Avx.Store(d + 42, last);
            else
            {
                Sse.Store(d + 42, last.GetLower());
                Sse2.StoreLow((double*)(d + 46), last.GetUpper().AsDouble());
            }
        }
        for (; p < cols; p++)
            for (int r = 0; r < 6; r++) dst[p * 6 + r] = src[r * lds + p];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose4x4(float* s, nint lds, float* d, nint ldd)
    {
        Vector128<float> r0 = Sse.LoadVector128(s), r1 = Sse.LoadVector128(s + lds), r2 = Sse.LoadVector128(s + 2 * lds), r3 = Sse.LoadVector128(s + 3 * lds);
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3), t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
        Sse.Store(d + ldd, Sse.MoveHighToLow(t1, t0));
        Sse.Store(d + 2 * ldd, Sse.MoveLowToHigh(t2, t3));
        Sse.Store(d + 3 * ldd, Sse.MoveHighToLow(t3, t2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose8x8(float* s, nint lds, float* d, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds), r2 = Avx.LoadVector256(s + 2 * lds),
            r3 = Avx.LoadVector256(s + 3 * lds), r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds),
            r6 = Avx.LoadVector256(s + 6 * lds), r7 = Avx.LoadVector256(s + 7 * lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3),
            t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE),
            u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }
}
