using System.Runtime.InteropServices;
using Nonlinear.Activations;
using Nonlinear.Kernels;
using Xunit;

namespace Nonlinear.Tests.Kernels;

/// <summary>
/// The unary driver's streaming loops (non-temporal stores for outputs beyond the cache): the same bits as the scalar
/// formula for every length and every misalignment of the output (the head before the first 64-byte boundary and the
/// tail run the scalar path), elements outside the range untouched, and the large-input route of the public driver
/// equal to the Scalar tier, with one thread and with two.
/// </summary>
public class StreamingStoreTests
{
    private static float[] Inputs(int n, int seed)
    {
        var rng = new Nonlinear.Tensors.Rng((ulong)seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextGaussian() * 4);
        // Special values among the ordinary ones: the formulas' own edge handling must survive the streaming loop.
        if (n > 40) (x[3], x[17], x[29], x[40]) = (float.NegativeInfinity, float.NaN, -0f, float.PositiveInfinity);
        return x;
    }

    // Bit patterns, not float equality, so −0 against +0 counts; every NaN maps to one pattern, because which of two NaN
    // operands a product returns follows the operand order, which the JIT may swap (the contract tests do the same).
    private static void AssertBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual) =>
        Assert.Equal(Canonical(expected), Canonical(actual));

    private static int[] Canonical(ReadOnlySpan<float> v)
    {
        var bits = MemoryMarshal.Cast<float, int>(v).ToArray();
        for (int i = 0; i < bits.Length; i++)
            if (float.IsNaN(v[i])) bits[i] = int.MinValue;
        return bits;
    }

    private static void CheckForward<K, V>(K k) where K : struct, IDifferentiableKernel where V : struct, ISimdVec<V>
    {
        const float Sentinel = 12345f;
        float[] x = Inputs(300 + 16, 7);
        for (int offset = 0; offset < 16; offset++)
            for (int n = 0; n <= 300; n += n < 40 ? 1 : 37)
            {
                var y = new float[x.Length + 32];
                Array.Fill(y, Sentinel);
                var expected = new float[n];
                UnaryDriver.ForwardCore<K, Scalar>(k, x.AsSpan(offset, n), expected);
                UnaryDriver.ForwardStreamingCore<K, V>(k, x.AsSpan(offset, n), y.AsSpan(offset + 1, n));
                AssertBits(expected, y.AsSpan(offset + 1, n));
                Assert.Equal(Sentinel, y[offset]);
                Assert.Equal(Sentinel, y[offset + 1 + n]);
            }
    }

    private static void CheckBackward<K, V>(K k, bool usesInput) where K : struct, IDifferentiableKernel where V : struct, ISimdVec<V>
    {
        float[] x = Inputs(316, 8), dy = Inputs(316, 9), y = new float[316];
        UnaryDriver.ForwardCore<K, Scalar>(k, x, y);
        for (int offset = 0; offset < 16; offset++)
            for (int n = 0; n <= 300; n += n < 40 ? 1 : 37)
            {
                ReadOnlySpan<float> xs = usesInput ? x.AsSpan(offset, n) : default, ys = usesInput ? default : y.AsSpan(offset, n);
                var expected = new float[n];
                var dx = new float[n + 17];
                UnaryDriver.BackwardCore<K, Scalar>(k, xs, ys, dy.AsSpan(offset, n), expected);
                UnaryDriver.BackwardStreamingCore<K, V>(k, xs, ys, dy.AsSpan(offset, n), dx.AsSpan(offset % 5, n));
                AssertBits(expected, dx.AsSpan(offset % 5, n));
            }
    }

    [Fact]
    public void StreamingLoopsMatchTheScalarFormulaAtEveryLengthAndAlignment()
    {
        // The driver streams only where SSE exists (its store fence is an SSE instruction); without hardware
        // intrinsics it writes normally, which the threshold test below covers through the public path.
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            CheckForward<Relu, Vec128>(default);
            CheckForward<Gelu, Vec128>(default);
            CheckBackward<Relu, Vec128>(default, usesInput: false);
            CheckBackward<Gelu, Vec128>(default, usesInput: true);
        }
        if (Vec256.IsHardwareAccelerated)
        {
            CheckForward<Relu, Vec256x2>(default);
            CheckForward<Gelu, Vec256x2>(default);
            CheckBackward<Relu, Vec256x2>(default, usesInput: false);
            CheckBackward<Gelu, Vec256x2>(default, usesInput: true);
        }
        if (Vec512.IsHardwareAccelerated)
        {
            CheckForward<Gelu, Vec512>(default);
            CheckBackward<Gelu, Vec512>(default, usesInput: true);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LargeCallsStreamAndGiveTheScalarTiersBits(int threads)
    {
        int saved = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            // Past the threshold, misaligned by one float, with an odd tail: the route that streams.
            int n = UnaryDriver.StreamingThreshold + 29;
            var x = Inputs(n + 1, 11);
            var dy = Inputs(n + 1, 12);
            var gelu = ActivationCatalog.Get("gelu").Create();
            float[] y = new float[n + 1], yRef = new float[n], dx = new float[n + 1], dxRef = new float[n];
            gelu.Forward(x.AsSpan(1, n), y.AsSpan(1, n));
            gelu.Forward(x.AsSpan(1, n), yRef, SimdTier.Scalar);
            AssertBits(yRef, y.AsSpan(1, n));
            gelu.Backward(x.AsSpan(1, n), default, dy.AsSpan(1, n), dx.AsSpan(1, n));
            gelu.Backward(x.AsSpan(1, n), default, dy.AsSpan(1, n), dxRef, SimdTier.Scalar);
            AssertBits(dxRef, dx.AsSpan(1, n));
            Assert.Equal(0f, y[0]);
            Assert.Equal(0f, dx[0]);
        }
        finally { Parallelism.MaxThreads = saved; }
    }
}
