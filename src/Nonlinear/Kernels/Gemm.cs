namespace Nonlinear.Kernels;

/// <summary>Single-precision matrix multiply on row-major spans.</summary>
/// <remarks>
/// Goto/BLIS-style: op(B) is packed in kc × nc blocks (L2) of NR-column panels, op(A) in MR-row micro-panels (L1),
/// and a register-blocked micro-kernel (<see cref="MicroKernel{V,R}"/>) does the FMAs. Threads split the M×N
/// output, never K, and the kc blocking does not depend on the tier or the thread count, so every element is the
/// same FMA chain whatever the width or the number of threads: results are bit-identical across both.
/// </remarks>
internal static partial class Gemm
{
    /// <summary>
    /// C = alpha · op(A) · op(B) + beta · C, all row-major. op(A) is M×K: A is stored M×K (lda ≥ K), or K×M
    /// when <paramref name="transA"/> (lda ≥ M). op(B) is K×N: B is stored K×N (ldb ≥ N), or N×K when
    /// <paramref name="transB"/> (ldb ≥ K). With beta = 0, C is overwritten and its old contents (even NaN) are ignored.
    /// </summary>
    /// <remarks>
    /// Equivalent to torch.addmm / BLAS sgemm. Uses up to <see cref="Parallelism.MaxThreads"/> threads for large
    /// products; with alpha = 0 or K = 0, C = beta · C (A and B are not read).
    /// </remarks>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Sgemm(SimdTier.Auto, Parallelism.MaxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// <see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// with a forced <paramref name="tier"/> (run in software when not accelerated) and a thread budget that fixes
    /// the partition of C into tasks (tasks still run inline when <see cref="Parallelism.MaxThreads"/> is 1).
    /// </summary>
    internal static unsafe void Sgemm(SimdTier tier, int threads, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            var g = new GemmArgs(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            if (k == 0 || alpha == 0f)
            {
                ScaleC(g);
                return;
            }
            var resolved = Simd.Resolve(tier);
            // AVX-512 keeps the packed path for small M: this route is tuned and measured on AVX2 only.
            if (m <= SmallRows && resolved != SimdTier.Vec512)
            {
                switch (resolved)
                {
                    case SimdTier.Vec256: RunSmallRows<Vec256>(g, threads); break;
                    case SimdTier.Vec128: RunSmallRows<Vec128>(g, threads); break;
                    default: RunSmallRows<Scalar>(g, threads); break;
                }
                return;
            }
            switch (resolved)
            {
                // Narrow outputs waste most of a 32-column zmm tile; with 32 vector registers a narrower register
                // serves them better, and every width gives the same bits, so the choice is free.
                case SimdTier.Vec512 when tier == SimdTier.Auto && n <= 8 && Vec128.IsHardwareAccelerated:
                    Run<Vec128, GemmRows12>(g, threads); break;
                case SimdTier.Vec512 when tier == SimdTier.Auto && n <= 16 && Vec256.IsHardwareAccelerated:
                    Run<Vec256, GemmRows12>(g, threads); break;
                case SimdTier.Vec512: Run<Vec512, GemmRows12>(g, threads); break;
                case SimdTier.Vec256: Run<Vec256, GemmRows6>(g, threads); break;
                case SimdTier.Vec128: Run<Vec128, GemmRows6>(g, threads); break;
                default: Run<Scalar, GemmRows6>(g, threads); break;
            }
        }
    }

    // C = beta·C, with beta = 0 writing exact zeros over whatever C held.
    private static unsafe void ScaleC(in GemmArgs g)
    {
        for (int i = 0; i < g.M; i++)
        {
            var row = new Span<float>(g.C + i * (nint)g.Ldc, g.N);
            if (g.Beta == 0f) row.Clear();
            else if (g.Beta != 1f)
                for (int j = 0; j < row.Length; j++) row[j] *= g.Beta;
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
