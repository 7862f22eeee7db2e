namespace Nonlinear.Kernels;

public static partial class Gemm
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
                for (; i < rows; i++) d[i] = src[i];
                for (; i < mr; i++) d[i] = 0f;
            }
            return;
        }
        // op(A)[i, p] = a[(i0+i)·lda + p0 + p]: read each row contiguously, scatter with stride mr.
        for (int i = 0; i < rows; i++)
        {
            float* src = a + (i0 + i) * lda + p0;
            float* d = dst + i;
            for (int p = 0; p < kb; p++) d[p * mr] = src[p];
        }
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
                // op(B)[p, j] = b[j·ldb + p]: read each stored row (a column of op(B)) contiguously.
                for (int jj = 0; jj < w; jj++)
                {
                    float* src = b + (j + jj) * ldb + p0;
                    float* d = panel + jj;
                    for (int p = 0; p < kb; p++) d[p * nr] = src[p];
                }
                for (int jj = w; jj < nr; jj++)
                    for (int p = 0; p < kb; p++) panel[p * nr + jj] = 0f;
            }
        }
    }
}
