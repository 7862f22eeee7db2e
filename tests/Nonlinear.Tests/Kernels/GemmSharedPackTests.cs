using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// The row-chunked route over one shared packing of op(B) (tall products on several threads) and the row-wise packing
/// of operands stored with contiguous K rows (Aᵀ, B): every element within the worst-case bound of a double reference,
/// and the same bits as one thread, for every transpose, edge and thread count.
/// </summary>
public class GemmSharedPackTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        // 301 = 50 full 6-row panels + 1 row; 1030 columns: past one Nc = 1024 block with a 6-column edge panel;
        // K = 530: three depth blocks of 184, 184, 162 (not multiples of the 8-row packing groups).
        { 301, 1030, 530 },
        // Just past the two-thread work grain: 9 row panels (the shared route needs ≥ 8 at 2 threads), K = 130 ending
        // in a 2-row packing group; 8 panels with a 5-row edge and K = 120, whole packing groups.
        { 53, 170, 130 },
        { 47, 200, 120 },
        // The snn fc2 weight gradients: 10 rows (the column split), and 10 columns over 1000 rows (shared, one edge panel).
        { 10, 1000, 3200 },
        { 1000, 10, 3200 },
        { 384, 128, 1000 }, // the lm bwd-weight form, K long
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReferenceAndOneThreadBitForBit(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var rng = new Rng((ulong)(m * 7 + n * 3 + k + (ta ? 1 : 0) + (tb ? 2 : 0)));
                float[] a = Random(rng, m * k), b = Random(rng, k * n), c0 = Random(rng, m * n);
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] Run(SimdTier tier, int threads)
                {
                    var c = (float[])c0.Clone();
                    Gemm.Sgemm(tier, threads, ta, tb, m, n, k, 0.75f, a, lda, b, ldb, -1.25f, c, n);
                    return c;
                }
                var one = Run(SimdTier.Auto, 1);
                AssertWithinBound(ta, tb, m, n, k, a, b, c0, one);
                foreach (int threads in new[] { 2, 3, 8 })
                    Assert.Equal(one, Run(SimdTier.Auto, threads));
                // The scalar tier packs through the same code and runs the same FMA chains.
                Assert.Equal(one, Run(SimdTier.Scalar, 2));
            }
    }

    [Theory]
    [InlineData(2, 301, 1030, 530, true)]
    [InlineData(2, 53, 170, 130, true)]
    [InlineData(2, 47, 200, 120, true)]
    [InlineData(2, 1000, 10, 3200, true)]
    [InlineData(2, 10, 1000, 3200, false)]   // 2 row panels: split the columns, as before
    [InlineData(3, 301, 1030, 530, true)]
    [InlineData(3, 60, 400, 100, false)]     // 10 panels < 4 chunks × 3 threads
    [InlineData(2, 4096, 4112, 1024, false)] // 4112 × 1024 packed floats exceed the 16 MiB shared buffer
    public void SharedRouteIsTakenWhereIntended(int t, int m, int n, int k, bool shared)
    {
        // The shared-B rule alone (NR = 16 on AVX2, MR = 6); short shapes may now take the shared-A route first, and
        // GemmRouteTests forces every route on every shape, so the bits above are covered whichever route runs.
        Assert.True((long)m * n * k >= t * Gemm.ParallelGrain, "the product is big enough for t threads");
        Assert.Equal(shared, Gemm.UseSharedB(t, (m + 5) / 6, (n + 15) / 16, 16, k));
    }

    internal static float[] Random(Rng rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = rng.NextFloat() * 2f - 1f;
        return x;
    }

    /// <summary>|C − Ĉ| ≤ γ_{k+2}(|alpha| Σ|a||b| + |beta·c|), the bound of GemmTests (Higham §3.1), per element.</summary>
    internal static void AssertWithinBound(bool ta, bool tb, int m, int n, int k, float[] a, float[] b, float[] c0, float[] got)
    {
        const double alpha = 0.75, beta = -1.25;
        double u = Math.Pow(2, -24), gamma = (k + 2) * u / (1 - (k + 2) * u);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, sa = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = ta ? a[p * m + i] : a[i * k + p], y = tb ? b[j * k + p] : b[p * n + j];
                    s += x * y;
                    sa += Math.Abs(x * y);
                }
                double want = alpha * s + beta * c0[i * n + j], tol = gamma * (alpha * sa + Math.Abs(beta * c0[i * n + j]));
                Assert.True(Math.Abs(got[i * n + j] - want) <= tol, $"ta={ta} tb={tb} {m}x{n}x{k} C[{i},{j}] = {got[i * n + j]}, want {want} ± {tol:E2}");
            }
    }
}
