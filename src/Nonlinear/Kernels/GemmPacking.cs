using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

internal static partial class Gemm
{
    /// <summary>
    /// Packs the rows × kb block of op(A) starting at (i0, p0) into one micro-panel: dst[p·mr + i] = op(A)[i0+i, p0+p],
    /// rows ≥ <paramref name="rows"/> padded with zeros so the micro-kernel never needs a row mask.
    /// Packing reads the transposed layout directly, so Aᵀ·B never materialises Aᵀ.
    /// </summary>
    private static unsafe void PackA(bool transA, float* a, nint lda, int i0, int rows, int p0, int kb, int mr, float* dst)
    {
        if (transA)
        {
            // op(A)[i, p] = a[p·lda + i]: each p is a contiguous run of rows floats.
            for (int p = 0; p < kb; p++)
            {
                float* src = a + (p0 + p) * lda + i0;
                float* d = dst + p * mr;
                int i = 0;
                // Four floats at a time: a scalar copy of these short runs was most of the packing time of Aᵀ·B.
                for (; i + 4 <= rows; i += 4) Vector128.Store(Vector128.Load(src + i), d + i);
                for (; i < rows; i++) d[i] = src[i];
                for (; i < mr; i++) d[i] = 0f;
            }
            return;
        }
        // op(A)[i, p] = a[(i0+i)·lda + p0 + p]: a transpose of the rows × kb block into stride mr.
        if (rows == 6 && mr == 6 && Avx.IsSupported)
        {
            Transpose6Rows(a + i0 * lda + p0, lda, kb, dst);
            return;
        }
        TransposeInto(a + i0 * lda + p0, lda, rows, kb, dst, mr);
        for (int i = rows; i < mr; i++)
            for (int p = 0; p < kb; p++) dst[p * mr + i] = 0f;
    }

    /// <summary>
    /// Packs the kb × cols block of op(B) at (p0, j0) into ⌈cols/nr⌉ panels of kb × nr floats:
    /// panel q holds dst[q·kb·nr + p·nr + j] = op(B)[p0+p, j0+q·nr+j], zero-padded past <paramref name="cols"/>.
    /// </summary>
    private static unsafe void PackB(bool transB, float* b, nint ldb, int p0, int kb, int j0, int cols, int nr, float* dst)
    {
        for (int q = 0; q * nr < cols; q++)
        {
            int w = Math.Min(nr, cols - q * nr), j = j0 + q * nr;
            float* panel = dst + (nint)q * kb * nr;
            if (!transB)
            {
                // op(B)[p, j] = b[p·ldb + j]: a contiguous run of w floats per p.
                for (int p = 0; p < kb; p++)
                {
                    float* src = b + (p0 + p) * ldb + j;
                    Span<float> d = new(panel + p * nr, nr);
                    new ReadOnlySpan<float>(src, w).CopyTo(d);
                    if (w < nr) d[w..].Clear();
                }
            }
            else
            {
                // op(B)[p, j] = b[j·ldb + p]: a transpose of the w × kb block of stored rows into stride nr.
                TransposeInto(b + j * ldb + p0, ldb, w, kb, panel, nr);
                for (int jj = w; jj < nr; jj++)
                    for (int p = 0; p < kb; p++) panel[p * nr + jj] = 0f;
            }
        }
    }

    /// <summary>dst[p·ldd + r] = src[r·lds + p] for r &lt; rows, p &lt; cols; 8×8 AVX blocks where available, since a
    /// scalar transpose writes one float per strided store and dominated the packing time of Aᵀ-free layouts.</summary>
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
    /// surplus floats are overwritten by the next one. The last store writes 2 floats past the panel, into the next
    /// panel (packed after this one) or the buffer's slack. Replaces 4×4 blocks plus strided scalar stores for rows 4–5.
    /// </summary>
    private static unsafe void Transpose6Rows(float* src, nint lds, int cols, float* dst)
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
            Avx.Store(d + 42, Avx.Permute2x128(u3, u7, 0x31));
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
