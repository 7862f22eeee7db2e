using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 7, 13, 5 }, { 33, 65, 17 }, { 12, 32, 256 }, { 13, 33, 257 }, { 128, 784, 256 }, { 257, 129, 300 },
        // Past one Mc = 144-row block of A with a 5-row edge panel, past one Nc = 1024-column block of B with a
        // 6-column edge, and K = 300 in two depth blocks whose 148-deep tail is not a multiple of the 8-column
        // transpose of the 6-row packing.
        { 149, 1030, 300 },
        { 150, 22, 13 },   // exactly 25 full 6-row panels, depth below one 8-column transpose step
        // The matrix–vector route (M ≤ 4): 16- and 8-row transposed groups, a scalar tail, several depth blocks,
        // column tiles past 512 and column chunks split across threads.
        { 1, 256, 784 }, { 2, 31, 9 }, { 4, 1100, 300 }, { 3, 5, 1 },
    };

    /// <summary>
    /// A row computed alone (batch 1, the matrix–vector route) has the bits it has inside a batch (the packed route),
    /// for every transpose, tier and thread count: inference does not depend on the batch a sample arrives in.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RowAloneMatchesRowInBatchBitForBit(int threads)
    {
        int m = 23, n = 300, k = 530;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var rng = new Rng((ulong)(threads * 4 + (ta ? 2 : 0) + (tb ? 1 : 0)));
                var a = ta ? Random(rng, k, m, 0) : Random(rng, m, k, 0);
                var b = tb ? Random(rng, n, k, 0) : Random(rng, k, n, 0);
                var c0 = Random(rng, m, n, 0).Data;
                foreach (var tier in new[] { SimdTier.Auto, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar })
                {
                    var batch = (float[])c0.Clone();
                    Gemm.Sgemm(tier, threads, ta, tb, m, n, k, 0.75f, a.Data, a.Ld, b.Data, b.Ld, 1.25f, batch, n);
                    foreach (int i in new[] { 0, 5, 22 })
                    {
                        var row = c0.AsSpan(i * n, n).ToArray();
                        // Row i of op(A): a stored row, or a column of the stored Kᵀ×M matrix read with stride lda = m.
                        var ai = ta ? a.Data.AsSpan(i) : a.Data.AsSpan(i * k, k);
                        Gemm.Sgemm(tier, threads, ta, tb, 1, n, k, 0.75f, ai, a.Ld, b.Data, b.Ld, 1.25f, row, n);
                        Assert.Equal(batch.AsSpan(i * n, n).ToArray(), row);
                    }
                }
            }
    }

    /// <summary>Thread counts 1..3 on a product that spans several A and B blocks in every transpose variant.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void BlockEdgesMatchReferenceOnEveryThreadCount(int threads)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                Check(ta, tb, 293, 1041, 37, 0.5f, -1.5f, SimdTier.Auto, threads, pad: 3, seed: 100 + threads);
    }

    public static TheoryData<SimdTier> Tiers => new() { SimdTier.Scalar, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512 };

    // A stored matrix (rows × cols, leading dimension ld ≥ cols) with the padding filled by NaN, so a kernel
    // that reads past a row shows up as NaN in the result.
    private sealed record Operand(float[] Data, int Ld);

    private static Operand Random(Rng rng, int rows, int cols, int pad)
    {
        int ld = cols + pad;
        var d = new float[Math.Max(rows * ld, 0)];
        Array.Fill(d, float.NaN);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) d[i * ld + j] = rng.NextFloat() * 2f - 1f;
        return new Operand(d, Math.Max(ld, 1));
    }

    /// <summary>
    /// Reference C in double, and the error bound each float element must meet. Products of floats are exact in
    /// double and the double sum adds at most k·2⁻⁵³ relative error, negligible next to float. The float kernel
    /// computes one FMA chain per element (each step rounds once: γ_k), then alpha·acc (one rounding) and
    /// fma(alpha, acc, beta·c) (two), so |C − Ĉ| ≤ γ_{k+2} (|alpha| Σ_p |a_ip||b_pj| + |beta||c_ij|) with
    /// γ_n = n·u / (1 − n·u), u = 2⁻²⁴ (Higham, Accuracy and Stability, §3.1). This is a worst-case bound,
    /// not a fudge factor: a dropped or doubled term is off by ≈ |a||b| ≫ k·u·Σ|a||b|.
    /// </summary>
    private static (double[] C, double[] Tol) Reference(bool ta, bool tb, int m, int n, int k, float alpha,
        Operand a, Operand b, float beta, float[] c0, int ldc)
    {
        var r = new double[m * n];
        var tol = new double[m * n];
        double u = Math.Pow(2, -24), gamma = (k + 2) * u / (1 - (k + 2) * u);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, sa = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = ta ? a.Data[p * a.Ld + i] : a.Data[i * a.Ld + p];
                    double y = tb ? b.Data[j * b.Ld + p] : b.Data[p * b.Ld + j];
                    s += x * y;
                    sa += Math.Abs(x * y);
                }
                double cold = beta == 0 ? 0 : c0[i * ldc + j];
                r[i * n + j] = alpha * s + beta * cold;
                tol[i * n + j] = gamma * (Math.Abs(alpha) * sa + Math.Abs(beta * cold));
            }
        return (r, tol);
    }

    private static void Check(bool ta, bool tb, int m, int n, int k, float alpha, float beta, SimdTier tier, int threads, int pad, int seed)
    {
        var rng = new Rng((ulong)seed);
        var a = ta ? Random(rng, k, m, pad) : Random(rng, m, k, pad);
        var b = tb ? Random(rng, n, k, pad) : Random(rng, k, n, pad);
        int ldc = Math.Max(n + pad, 1);
        var c = new float[m * ldc];
        for (int i = 0; i < c.Length; i++) c[i] = beta == 0 ? float.NaN : rng.NextFloat() * 2f - 1f;
        var c0 = (float[])c.Clone();
        var (want, tol) = Reference(ta, tb, m, n, k, alpha, a, b, beta, c0, ldc);

        Gemm.Sgemm(tier, threads, ta, tb, m, n, k, alpha, a.Data, a.Ld, b.Data, b.Ld, beta, c, ldc);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double got = c[i * ldc + j], err = Math.Abs(got - want[i * n + j]);
                Assert.True(err <= tol[i * n + j],
                    $"{tier} ta={ta} tb={tb} {m}x{n}x{k} C[{i},{j}] = {got}, want {want[i * n + j]} ± {tol[i * n + j]:E2}");
            }
            // The padding of C past column n belongs to the caller and must survive untouched.
            for (int j = n; j < ldc; j++)
                Assert.Equal(BitConverter.SingleToInt32Bits(c0[i * ldc + j]), BitConverter.SingleToInt32Bits(c[i * ldc + j]));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesDoubleReferenceForAllTransposes(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                Check(ta, tb, m, n, k, 1f, 0f, SimdTier.Auto, 2, pad: 0, seed: m * 7 + n * 3 + k);
    }

    [Theory]
    [InlineData(1.5f, 0.75f)]
    [InlineData(-2f, 1f)]
    [InlineData(0.3f, -1.25f)]
    [InlineData(1f, 0f)]
    public void HandlesAlphaBetaAndLeadingDimensionsWiderThanRows(float alpha, float beta)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                Check(ta, tb, 33, 65, 17, alpha, beta, SimdTier.Auto, 2, pad: 5, seed: 11);
                Check(ta, tb, 37, 70, 300, alpha, beta, SimdTier.Auto, 2, pad: 3, seed: 12);
            }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void EveryTierMatchesReference(SimdTier tier)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                Check(ta, tb, 7, 13, 5, 1f, 0f, tier, 1, pad: 0, seed: 3);
                Check(ta, tb, 29, 37, 270, 0.5f, 2f, tier, 2, pad: 2, seed: 4);
            }
    }

    [Theory]
    [InlineData(61, 75, 300)]
    [InlineData(61, 10, 300)] // Auto picks a narrower register for narrow outputs
    [InlineData(25, 5, 40)]
    [InlineData(151, 1037, 270)] // several A and B blocks, edge panels both ways, two depth blocks
    public void TiersAndThreadCountsGiveIdenticalBits(int m, int n, int k)
    {
        // Every element is the same FMA chain (fixed depth blocking, K never split), whatever the width or partition.
        var rng = new Rng(5);
        var a = Random(rng, m, k, 0);
        var b = Random(rng, n, k, 0);
        var c0 = Random(rng, m, n, 0).Data;
        float[] Run(SimdTier tier, int threads)
        {
            var c = (float[])c0.Clone();
            Gemm.Sgemm(tier, threads, false, true, m, n, k, 0.7f, a.Data, k, b.Data, k, 1.3f, c, n);
            return c;
        }
        var expected = Run(SimdTier.Scalar, 1);
        foreach (var tier in new[] { SimdTier.Auto, SimdTier.Vec128, SimdTier.Vec256, SimdTier.Vec512 })
            foreach (int threads in new[] { 1, 2, 3, 8 })
                Assert.Equal(expected, Run(tier, threads));
    }

    [Fact]
    public void RepeatedLargeRunsAreBitIdentical()
    {
        var rng = new Rng(6);
        int m = 257, n = 129, k = 300;
        var a = Random(rng, k, m, 0);
        var b = Random(rng, k, n, 0);
        var c1 = new float[m * n];
        var c2 = new float[m * n];
        Gemm.Sgemm(true, false, m, n, k, 1f, a.Data, m, b.Data, n, 0f, c1, n);
        Gemm.Sgemm(true, false, m, n, k, 1f, a.Data, m, b.Data, n, 0f, c2, n);
        Assert.Equal(c1, c2);
        Assert.Equal(c1, RunThreads(1));
        Assert.Equal(c1, RunThreads(2));
        Assert.Equal(c1, RunThreads(3));
        Assert.Equal(c1, RunThreads(7));

        float[] RunThreads(int t)
        {
            var c = new float[m * n];
            Gemm.Sgemm(SimdTier.Auto, t, true, false, m, n, k, 1f, a.Data, m, b.Data, n, 0f, c, n);
            return c;
        }
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(256, 256)]
    [InlineData(257, 136)]   // 2 blocks of ≤ 129, rounded up to 8
    [InlineData(784, 200)]   // 4 blocks (200, 200, 200, 184) instead of 256, 256, 256, 16
    [InlineData(1024, 256)]
    public void DepthBlocksAreBalanced(int k, int expected)
    {
        Assert.Equal(expected, Gemm.DepthBlock(k));
    }

    [Fact]
    public void KZeroOrAlphaZeroScalesCByBeta()
    {
        var c = new[] { 1f, float.NaN, 3f, 4f };
        Gemm.Sgemm(false, false, 2, 2, 0, 1f, [], 1, [], 2, 0f, c, 2);
        Assert.Equal(new[] { 0f, 0f, 0f, 0f }, c);

        c = [1f, 2f, 3f, 4f];
        Gemm.Sgemm(false, false, 2, 2, 0, 1f, [], 1, [], 2, 2f, c, 2);
        Assert.Equal(new[] { 2f, 4f, 6f, 8f }, c);

        c = [1f, 2f, 3f, 4f];
        Gemm.Sgemm(false, false, 2, 2, 1, 0f, [5f, 6f], 1, [7f, 8f], 2, -1f, c, 2);
        Assert.Equal(new[] { -1f, -2f, -3f, -4f }, c);
    }

    [Fact]
    public void EmptyOutputsTouchNothing()
    {
        var c = new[] { 9f };
        Gemm.Sgemm(false, false, 0, 1, 3, 1f, [], 3, [1f, 2f, 3f], 1, 0f, c, 1);
        Gemm.Sgemm(false, false, 1, 0, 3, 1f, [1f, 2f, 3f], 3, [], 1, 0f, c, 1);
        Assert.Equal(9f, c[0]);
    }

    [Fact]
    public void SmallProductIsExact()
    {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154], then 2·AB + 1·C with C = 1.
        var c = new[] { 1f, 1f, 1f, 1f };
        Gemm.Sgemm(false, false, 2, 2, 3, 2f, [1, 2, 3, 4, 5, 6], 3, [7, 8, 9, 10, 11, 12], 2, 1f, c, 2);
        Assert.Equal(new[] { 117f, 129f, 279f, 309f }, c);
    }

    [Fact]
    public void ValidationNamesArgumentExpectedAndActual()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 3, 4, 1f, new float[8], 3, new float[12], 3, 0f, new float[6], 3));
        Assert.Equal("lda", ex.ParamName);
        Assert.Contains("lda = 3; expected ≥ 4", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, true, 2, 3, 4, 1f, new float[8], 4, new float[11], 4, 0f, new float[6], 3));
        Assert.Equal("b", ex.ParamName);
        Assert.Contains("b has 11 elements; a 3×4 matrix with leading dimension 4 needs 12", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(true, false, 2, 3, 4, 1f, new float[8], 2, new float[12], 3, 0f, new float[6], 4));
        Assert.Equal("c", ex.ParamName);
        Assert.Contains("c has 6 elements; a 2×3 matrix with leading dimension 4 needs 7", ex.Message);

        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Sgemm(false, false, -1, 3, 4, 1f, [], 4, new float[12], 3, 0f, [], 3));
        Assert.Contains("got -1, 3, 4", range.Message);
    }
}
