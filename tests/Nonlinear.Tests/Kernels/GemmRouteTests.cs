using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// Every multi-threaded GEMM route (static grid, shared op(B) with row chunks, shared op(A) with column chunks), forced
/// on shapes it would not pick by itself: the same bits as one thread for every transpose, edge, thread count and the
/// scalar tier, within the double-reference bound; and the route the library picks for the shapes it was tuned on.
/// </summary>
public class GemmRouteTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        // 301 rows: 50 full 6-row panels + 1; 1030 columns: past one Nc = 1024 block with a 6-column edge panel;
        // K = 530: three depth blocks of 184, 184, 162 (ends of 8-row packing groups, the 6-row transpose's tail).
        { 301, 1030, 530 },
        // The lm down weight gradient's form, scaled: a short op(A) (130 rows, 22 panels with a 4-row edge), deep
        // K = 1000 (four blocks), 200 columns (12 full panels + an 8-column edge).
        { 130, 200, 1000 },
        // Just past the two-thread grain, K = 130 ending in a 2-row packing group, 9 panels of 6.
        { 53, 170, 130 },
        // Ten rows (one panel with a 4-row edge) over 1000 columns, the snn fc2 weight gradient, K = 320.
        { 10, 1000, 320 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryRouteMatchesOneThreadBitForBit(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var rng = new Rng((ulong)(m * 5 + n * 11 + k + (ta ? 1 : 0) + (tb ? 2 : 0)));
                float[] a = GemmSharedPackTests.Random(rng, m * k), b = GemmSharedPackTests.Random(rng, k * n);
                float[] c0 = GemmSharedPackTests.Random(rng, m * n);
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] Run(SimdTier tier, int threads, GemmRoute? route)
                {
                    var c = (float[])c0.Clone();
                    Gemm.RouteOverride = route;
                    try { Gemm.Sgemm(tier, threads, ta, tb, m, n, k, 0.75f, a, lda, b, ldb, -1.25f, c, n); }
                    finally { Gemm.RouteOverride = null; }
                    return c;
                }
                var one = Run(SimdTier.Auto, 1, null);
                GemmSharedPackTests.AssertWithinBound(ta, tb, m, n, k, a, b, c0, one);
                foreach (var route in new[] { GemmRoute.Grid, GemmRoute.SharedB, GemmRoute.SharedA })
                {
                    foreach (int threads in new[] { 2, 3, 8 })
                        Assert.True(one.AsSpan().SequenceEqual(Run(SimdTier.Auto, threads, route)), $"{route} at {threads} threads, ta={ta} tb={tb}");
                    // The scalar tier packs through the same code and runs the same FMA chains.
                    Assert.True(one.AsSpan().SequenceEqual(Run(SimdTier.Scalar, 2, route)), $"{route} scalar, ta={ta} tb={tb}");
                }
            }
    }

    [Theory]
    // AVX2 (MR 6, NR 16, Mc 144) at 2 threads, the shapes of gemm-routes:
    [InlineData(128, 512, 4096, "SharedA")] // lm down weight gradient: 128 rows, deep
    [InlineData(256, 256, 256, "SharedA")]  // 256³: two Mc blocks of rows, 16 column panels
    [InlineData(128, 256, 784, "SharedA")]  // mlp 784→256 forward at batch 128
    [InlineData(10, 1000, 3200, "SharedA")] // snn fc2 weight gradient
    [InlineData(384, 128, 4096, "Grid")]    // lm qkv weight gradient: 384 rows > 2·Mc, op(B) 2 MiB packed: own blocks
    [InlineData(1000, 784, 128, "SharedA")] // snn fc1 weight gradient: op(A) packs into 0.5 MiB
    [InlineData(512, 2304, 256, "SharedA")] // KAN input-gradient block
    [InlineData(512, 512, 512, "SharedB")]  // 512³: op(A) 1 MiB + one panel, op(B) exactly 1 MiB
    [InlineData(4096, 512, 128, "SharedB")] // lm forward products: tall
    [InlineData(1000, 10, 3200, "SharedB")] // one column panel: nothing to split by columns
    [InlineData(4096, 4112, 1024, "Grid")]  // 4112 × 1024 packed floats exceed the 16 MiB shared buffer
    public void RouteChoiceOnTwoThreads(int m, int n, int k, string expected)
        => Assert.Equal(expected, Gemm.ChooseRoute(2, (m + 5) / 6, (n + 15) / 16, 6, 16, GemmRows6.Mc, k).ToString());

    [Fact]
    public void ForcedRouteThatCannotRunFallsBackToTheChoice()
    {
        Gemm.RouteOverride = GemmRoute.SharedA;
        try
        {
            // One column panel: no column chunks to hand out; the library's own choice stands.
            Assert.Equal(GemmRoute.SharedB, Gemm.ChooseRoute(2, 167, 1, 6, 16, GemmRows6.Mc, 3200));
            Assert.Equal(GemmRoute.SharedA, Gemm.ChooseRoute(2, 167, 40, 6, 16, GemmRows6.Mc, 3200));
        }
        finally { Gemm.RouteOverride = null; }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(13)]
    [InlineData(256)]
    public unsafe void SixRowTransposeWritesNothingPastItsPanel(int cols)
    {
        // Shared packings let another thread pack the next panel at the same time: a store past this one would race.
        // Transpose6Rows is the AVX2 packing kernel; CI's DOTNET_EnableHWIntrinsic=0 pass has no AVX2 and packs
        // element by element (the scalar-tier route tests above cover that path), so there is nothing to call there.
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;
        const int lds = 300;
        var src = new float[6 * lds];
        for (int i = 0; i < src.Length; i++) src[i] = i;
        var dst = new float[6 * cols + 16];
        Array.Fill(dst, float.NaN);
        fixed (float* s = src, d = dst) Gemm.Transpose6Rows(s, lds, cols, d);
        for (int p = 0; p < cols; p++)
            for (int r = 0; r < 6; r++)
                Assert.Equal(src[r * lds + p], dst[p * 6 + r]);
        for (int i = 6 * cols; i < dst.Length; i++) Assert.True(float.IsNaN(dst[i]), $"dst[{i}] written past the panel");
    }
}
