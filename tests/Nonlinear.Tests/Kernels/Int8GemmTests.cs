using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kernels;

public class Int8GemmTests
{
    private static readonly Int8GemmPath[] AllPaths = Enum.GetValues<Int8GemmPath>();

    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 1, 2 }, { 1, 16, 3 }, { 3, 17, 5 }, { 4, 16, 16 }, { 5, 15, 31 }, { 7, 33, 33 },
        { 64, 16, 64 }, { 65, 47, 63 }, { 130, 10, 784 }, { 9, 256, 257 },
        // At least Int8Gemm.SplitMacs multiply-adds, so a single row and a few rows split their columns across threads.
        { 1, 1100, 1000 }, { 3, 700, 600 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPathEqualsTheInt64ReferenceOnRandomBytes(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 1000003 + n * 1009 + k));
        var a = new byte[m * k];
        var b = new sbyte[n * k];
        for (int i = 0; i < a.Length; i++) a[i] = (byte)(rng.NextUInt64() & 0xFF);
        for (int i = 0; i < b.Length; i++) b[i] = (sbyte)(byte)(rng.NextUInt64() & 0xFF);
        AssertAllPathsExact(a, m, b, n, k);
    }

    /// <summary>
    /// The saturation cases: with 255 against −128 or 127 everywhere, every pair of products is ±65 280 / 64 770, past
    /// int16 (vpmaddubsw would clip it to 32 767); the sums must still be exact, for odd K (a padded half pair) and K
    /// not a multiple of 4 (a padded VNNI quad) too.
    /// </summary>
    /// <summary>7-bit activations (reduce_range), so the vpmaddubsw route runs too and must equal the reference.</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryPathEqualsTheInt64ReferenceOnSevenBitActivations(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 7919 + n * 104729 + k));
        var a = new byte[m * k];
        var b = new sbyte[n * k];
        for (int i = 0; i < a.Length; i++) a[i] = (byte)(rng.NextUInt64() & 0x7F);
        for (int i = 0; i < b.Length; i++) b[i] = (sbyte)(byte)(rng.NextUInt64() & 0xFF);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx2.IsSupported ? 4 : 1, AssertAllPathsExact(a, m, b, n, k));
    }

    /// <summary>
    /// The 7-bit route's contract is A ≤ 127: 127·(−128) + 127·(−128) = −32 512 is the most negative pair sum it can
    /// meet and fits int16; a code of 128 anywhere (last row, last column: after every vector block) is refused by name
    /// rather than summed with saturation.
    /// </summary>
    [Fact]
    public void SevenBitPathRefusesACodeAbove127()
    {
        if (!Int8Gemm.IsSupported(Int8GemmPath.Avx2SevenBit)) return;
        int m = 5, n = 17, k = 70;
        var a = Enumerable.Repeat((byte)127, m * k).ToArray();
        var b = Enumerable.Repeat((sbyte)-128, n * k).ToArray();
        Assert.Equal(127L * -128 * k, Run(Int8GemmPath.Avx2SevenBit, a, m, b, n, k)[n * m - 1]);
        a[^1] = 128;
        var e = Assert.Throws<ArgumentException>(() => Run(Int8GemmPath.Avx2SevenBit, a, m, b, n, k));
        Assert.Contains($"A[{m - 1}, {k - 1}] = 128", e.Message);
        // VNNI is exact for 8-bit codes, so a VNNI CPU never needs the 7-bit route.
        bool vnni = System.Runtime.Intrinsics.X86.AvxVnni.IsSupported;
        Assert.Equal(vnni ? Int8GemmPath.AvxVnni : Int8GemmPath.Avx2SevenBit, Int8Gemm.PathFor(SimdTier.Vec256, sevenBit: true));
        Assert.Equal(vnni ? Int8GemmPath.AvxVnni : Int8GemmPath.Avx2Sign, Int8Gemm.PathFor(SimdTier.Vec256, sevenBit: false));
        Assert.Equal(Int8GemmPath.Scalar, Int8Gemm.PathFor(SimdTier.Scalar, sevenBit: true));
    }

    [Theory]
    [InlineData(127, -128)]
    [InlineData(127, 127)]
    [InlineData(127, -127)]
    [InlineData(255, -128)]
    [InlineData(255, 127)]
    [InlineData(0, -128)]
    [InlineData(0, -127)]
    [InlineData(0, 127)]
    [InlineData(255, -127)]
    [InlineData(128, -128)]
    [InlineData(1, 1)]
    public void ExtremeBytesSumExactly(int av, int bv)
    {
        foreach (int k in new[] { 1, 2, 3, 5, 15, 16, 17, 33, 1023 })
        {
            int m = 6, n = 19;
            var a = Enumerable.Repeat((byte)av, m * k).ToArray();
            var b = Enumerable.Repeat((sbyte)bv, n * k).ToArray();
            AssertAllPathsExact(a, m, b, n, k);
            var c = Run(Int8GemmPath.Scalar, a, m, b, n, k);
            Assert.Equal((long)av * bv * k, c[0]);
        }
    }

    /// <summary>At the largest depth accepted the extreme sum, 65 536·255·(−128) = −2 139 095 040, still fits in int32.</summary>
    [Fact]
    public void LargestDepthDoesNotWrap()
    {
        int k = Int8PackedWeights.MaxDepth;
        var a = Enumerable.Repeat((byte)255, 2 * k).ToArray();
        var b = Enumerable.Repeat((sbyte)-128, 17 * k).ToArray();
        AssertAllPathsExact(a, 2, b, 17, k);
        Assert.Equal(-2_139_095_040, Run(Int8GemmPath.Scalar, a, 2, b, 17, k)[0]);
        Assert.Throws<ArgumentException>(() => new Int8PackedWeights(new sbyte[k + 1], 1, k + 1));
    }

    /// <summary>Alternating extremes inside a pair: (255, 0)·(−128, 127) and the like, so the two int16 halves of a word differ.</summary>
    [Fact]
    public void MixedExtremesWithinPairsAndQuads()
    {
        byte[] av = [0, 1, 127, 128, 254, 255];
        sbyte[] bv = [-128, -127, -1, 0, 1, 126, 127];
        int m = 9, n = 21, k = 37;
        var a = new byte[m * k];
        var b = new sbyte[n * k];
        for (int i = 0; i < a.Length; i++) a[i] = av[(i * 7 + i / 5) % av.Length];
        for (int i = 0; i < b.Length; i++) b[i] = bv[(i * 3 + i / 11) % bv.Length];
        AssertAllPathsExact(a, m, b, n, k);
    }

    [Fact]
    public void RowSumsAreTheWeightRowSums()
    {
        var w = new Int8PackedWeights(new sbyte[] { -128, 127, 5, 1, 2, 3 }, 2, 3);
        Assert.Equal(new[] { 4, 6 }, w.RowSums);
    }

    [Fact]
    public void TiersMapToPaths()
    {
        Assert.Equal(Int8GemmPath.Scalar, Int8Gemm.PathFor(SimdTier.Scalar));
        Assert.Equal(Int8GemmPath.Scalar, Int8Gemm.PathFor(SimdTier.Vec128));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            Assert.NotEqual(Int8GemmPath.Scalar, Int8Gemm.PathFor(SimdTier.Vec256));
    }

    // Runs every supported path whose contract admits A (the 7-bit route only when every byte ≤ 127; otherwise it
    // must refuse) and returns how many ran.
    private static int AssertAllPathsExact(byte[] a, int m, sbyte[] b, int n, int k)
    {
        var expected = Int8Gemm.Reference(a, m, b, n, k);
        int ran = 0;
        foreach (var path in AllPaths)
        {
            if (!Int8Gemm.IsSupported(path)) continue;
            if (path == Int8GemmPath.Avx2SevenBit && a.Any(v => v > 127))
            {
                Assert.Throws<ArgumentException>(() => Run(path, a, m, b, n, k));
                continue;
            }
            // The sign route negates weights, so it refuses −128 and runs on the same weights with −128 made −127.
            var (bp, want) = (b, expected);
            if (path == Int8GemmPath.Avx2Sign && b.Contains(sbyte.MinValue))
            {
                Assert.Throws<ArgumentException>(() => Run(path, a, m, b, n, k));
                bp = b.Select(v => Math.Max(v, (sbyte)-127)).ToArray();
                want = Int8Gemm.Reference(a, m, bp, n, k);
            }
            var c = Run(path, a, m, bp, n, k);
            for (int i = 0; i < want.Length; i++)
                if (c[i] != want[i])
                    Assert.Fail($"{path}: C[{i / n}, {i % n}] = {c[i]}, expected {want[i]} (m={m}, n={n}, k={k}).");
            ran++;
        }
        // The scalar path always runs; on an AVX2 machine (this project's CI) the vector path must have run too.
        Assert.True(ran >= (System.Runtime.Intrinsics.X86.Avx2.IsSupported ? 2 : 1));
        return ran;
    }

    private static int[] Run(Int8GemmPath path, byte[] a, int m, sbyte[] b, int n, int k)
    {
        var packed = new Int8PackedWeights(b, n, k);
        var c = new int[m * n];
        Array.Fill(c, 0x5A5A5A5A); // every element must be written
        Int8Gemm.Multiply(path, a, m, packed, c);
        return c;
    }
}
