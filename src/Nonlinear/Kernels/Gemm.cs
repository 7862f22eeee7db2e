namespace Nonlinear.Kernels;

/// <summary>Single-precision matrix multiply on row-major spans.</summary>
public static partial class Gemm
{
    /// <summary>
    /// C = alpha · op(A) · op(B) + beta · C, all row-major. op(A) is M×K: A is stored M×K (lda ≥ K), or K×M
    /// when <paramref name="transA"/> (lda ≥ M). op(B) is K×N: B is stored K×N (ldb ≥ N), or N×K when
    /// <paramref name="transB"/> (ldb ≥ K). With beta = 0, C is overwritten and its old contents (even NaN) are ignored.
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                ref float cij = ref c[i * ldc + j];
                cij = beta == 0 ? alpha * s : alpha * s + beta * cij;
            }
    }

    internal static void Validate(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"m, n, k must be ≥ 0; got {m}, {n}, {k}.");
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        Check("a", aRows, aCols, aLen, lda);
        Check("b", bRows, bCols, bLen, ldb);
        Check("c", m, n, cLen, ldc);
    }

    private static void Check(string name, int rows, int cols, int len, int ld)
    {
        if (ld < Math.Max(cols, 1))
            throw new ArgumentException($"ld{name} = {ld}; expected ≥ {Math.Max(cols, 1)} (the row length of {name}).", "ld" + name);
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (len < need)
            throw new ArgumentException($"{name} has {len} elements; a {rows}×{cols} matrix with leading dimension {ld} needs {need}.", name);
    }
}
