using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nonlinear.Kernels;

/// <summary>
/// Runs an <see cref="IBinaryKernel"/> over spans: both full, or one side a single value repeated
/// (the inner loop of broadcasting). Never allocates.
/// </summary>
internal static class BinaryDriver
{
    /// <summary>y[i] = f(a[i], b[i]); a and b have y's length.</summary>
    public static void Apply<K>(in K k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) where K : struct, IBinaryKernel
    {
        if (a.Length != y.Length || b.Length != y.Length)
            throw new ArgumentException($"lengths differ: a {a.Length}, b {b.Length}, y {y.Length}.");
        switch (Simd.Best)
        {
            case SimdTier.Vec512: Core<K, Vec512>(k, a, b, y, 1, 1); break;
            case SimdTier.Vec256: Core<K, Vec256>(k, a, b, y, 1, 1); break;
            case SimdTier.Vec128: Core<K, Vec128>(k, a, b, y, 1, 1); break;
            default: Core<K, Scalar>(k, a, b, y, 1, 1); break;
        }
    }

    /// <summary>Same-length passes of at least this many floats run on the worker pool (<see cref="ApplyParallel{K}"/>).</summary>
    public const int ParallelThreshold = 1 << 17;

    /// <summary>
    /// y[i] = f(a[i], b[i]) over <paramref name="n"/> floats of arrays at offsets, split across the worker pool above
    /// <see cref="ParallelThreshold"/> (a transformer's residual adds are 0.5 M floats and more) in
    /// <see cref="ElementwiseChunks"/>: the same bits at every thread count.
    /// </summary>
    public static void ApplyParallel<K>(K k, float[] a, int aOffset, float[] b, int bOffset, float[] y, int yOffset, int n) where K : struct, IBinaryKernel
    {
        if (n < ParallelThreshold || Parallelism.MaxThreads == 1)
        {
            Apply(k, a.AsSpan(aOffset, n), b.AsSpan(bOffset, n), y.AsSpan(yOffset, n));
            return;
        }
        int chunks = ElementwiseChunks.Count(n, ParallelThreshold);
        Parallelism.For(chunks, c =>
        {
            var (s, len) = ElementwiseChunks.Range(n, chunks, c);
            Apply(k, a.AsSpan(aOffset + s, len), b.AsSpan(bOffset + s, len), y.AsSpan(yOffset + s, len));
        });
    }

    /// <summary>
    /// y[i] = f(a[i·sa], b[i·sb]) where each step sa, sb is 0 (repeat element 0) or 1 (walk the span).
    /// </summary>
    public static void Apply<K>(in K k, ReadOnlySpan<float> a, int strideA, ReadOnlySpan<float> b, int strideB, Span<float> y)
        where K : struct, IBinaryKernel
    {
        switch (Simd.Best)
        {
            case SimdTier.Vec512: Core<K, Vec512>(k, a, b, y, strideA, strideB); break;
            case SimdTier.Vec256: Core<K, Vec256>(k, a, b, y, strideA, strideB); break;
            case SimdTier.Vec128: Core<K, Vec128>(k, a, b, y, strideA, strideB); break;
            default: Core<K, Scalar>(k, a, b, y, strideA, strideB); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Core<K, V>(K k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int sa, int sb)
        where K : struct, IBinaryKernel where V : struct, ISimdVec<V>
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int n = y.Length, w = V.Count, i = 0;
        V aRep = sa == 0 && n > 0 ? V.Create(ar) : default;
        V bRep = sb == 0 && n > 0 ? V.Create(br) : default;
        for (; i <= n - w; i += w)
        {
            V va = sa == 0 ? aRep : V.Load(ref Unsafe.Add(ref ar, i));
            V vb = sb == 0 ? bRep : V.Load(ref Unsafe.Add(ref br, i));
            V.Store(k.Apply(va, vb), ref Unsafe.Add(ref yr, i));
        }
        for (; i < n; i++)
            Unsafe.Add(ref yr, i) = k.Apply(new Scalar(Unsafe.Add(ref ar, i * sa)), new Scalar(Unsafe.Add(ref br, i * sb))).V;
    }
}
