using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>
/// A differentiable kernel whose forward shares its expensive part with f′ (GELU's Φ and φ come from one exponential and
/// one polynomial; SiLU's σ(x) and σ(−x) from one exponential): one pass gives y and f′, and the backward pass is then a
/// multiplication by the saved f′ instead of a second evaluation.
/// </summary>
internal interface IFusedDerivativeKernel : IDifferentiableKernel
{
    /// <summary>
    /// y = Forward(x), and <paramref name="derivative"/> = Derivative(x, y): the same bits as the two calls, lane for lane.
    /// </summary>
    V ForwardWithDerivative<V>(V x, out V derivative) where V : struct, ISimdVec<V>;
}

/// <summary>Backward from a saved f′: dx = dy·f′, which the driver's backward loop computes when f′ is passed as "y".</summary>
internal readonly struct SavedDerivativeKernel : IDifferentiableKernel
{
    /// <summary>Not an activation: the saved f′ passes through (never called by the backward loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => x;
    /// <summary>The saved f′, read from the "y" span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => y;
}

internal static partial class UnaryDriver
{
    /// <summary>
    /// y[i] = f(x[i]) and d[i] = f′(x[i]) in one pass; dx = dy·d is then <see cref="BackwardFromDerivative"/>. Same split
    /// across threads, same streaming rule and the same bits as <see cref="Forward{K}"/> followed by <see cref="Backward{K}"/>.
    /// </summary>
    public static void ForwardWithDerivative<K>(in K kernel, ReadOnlySpan<float> x, Span<float> y, Span<float> d, SimdTier tier = SimdTier.Auto)
        where K : struct, IFusedDerivativeKernel
    {
        CheckLengths(x.Length, y.Length, nameof(y));
        CheckLengths(x.Length, d.Length, nameof(d));
        ref float xr = ref MemoryMarshal.GetReference(x);
        bool stream = Streams(x.Length, ref MemoryMarshal.GetReference(y), ref xr) && Streams(x.Length, ref MemoryMarshal.GetReference(d), ref xr);
        if (x.Length >= ParallelThreshold && Parallelism.MaxThreads > 1)
            ForwardWithDerivativeParallel(kernel, x, y, d, tier, stream);
        else
            ForwardWithDerivativeTier(kernel, x, y, d, tier, stream);
    }

    /// <summary>dx[i] = dy[i]·d[i] for d saved by <see cref="ForwardWithDerivative{K}"/>: the bits of <see cref="Backward{K}"/>.</summary>
    public static void BackwardFromDerivative(ReadOnlySpan<float> d, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier = SimdTier.Auto) =>
        Backward(new SavedDerivativeKernel(), default, d, dy, dx, tier);

    private static void ForwardWithDerivativeTier<K>(in K k, ReadOnlySpan<float> x, Span<float> y, Span<float> d, SimdTier tier, bool stream)
        where K : struct, IFusedDerivativeKernel
    {
        switch (Simd.Resolve(tier))
        {
            case SimdTier.Vec512: if (stream) FusedStreamingCore<K, Vec512>(k, x, y, d); else FusedCore<K, Vec512>(k, x, y, d); break;
            case SimdTier.Vec256: if (stream) FusedStreamingCore<K, Vec256x2>(k, x, y, d); else FusedCore<K, Vec256x2>(k, x, y, d); break;
            case SimdTier.Vec128: if (stream) FusedStreamingCore<K, Vec128>(k, x, y, d); else FusedCore<K, Vec128>(k, x, y, d); break;
            default: FusedCore<K, Scalar>(k, x, y, d); break;
        }
    }

    // NoInlining for the reason ForwardCore gives: one inlined copy of the kernel per method.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void FusedCore<K, V>(K k, ReadOnlySpan<float> x, Span<float> y, Span<float> d)
        where K : struct, IFusedDerivativeKernel where V : struct, ISimdVec<V>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(d);
        int n = x.Length, w = V.Count, i = 0;
        for (; i <= n - w; i += w)
        {
            V.Store(k.ForwardWithDerivative(V.Load(ref Unsafe.Add(ref xs, i)), out V dv), ref Unsafe.Add(ref ys, i));
            V.Store(dv, ref Unsafe.Add(ref ds, i));
        }
        if (i < n) FusedTail(k, x[i..], y[i..], d[i..]);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void FusedTail<K>(K k, ReadOnlySpan<float> x, Span<float> y, Span<float> d) where K : struct, IFusedDerivativeKernel
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = k.ForwardWithDerivative(new Scalar(x[i]), out Scalar dv).V;
            d[i] = dv.V;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void FusedStreamingCore<K, V>(K k, ReadOnlySpan<float> x, Span<float> y, Span<float> d)
        where K : struct, IFusedDerivativeKernel where V : struct, ISimdVec<V>
    {
        fixed (float* py = y, pd = d)
        {
            // Streaming stores need aligned addresses: the head aligns y, and d is streamed too only when it has y's
            // alignment (two arrays from the allocator often do not); otherwise d takes plain stores in a second loop.
            if ((((nint)pd - (nint)py) & 63) != 0)
            {
                FusedStreamingYCore<K, V>(k, x, y, d, py);
                return;
            }
            ref float xs = ref MemoryMarshal.GetReference(x);
            int n = x.Length, w = V.Count, i = Head(py, n);
            if (i > 0) FusedTail(k, x[..i], y[..i], d[..i]);
            for (; i <= n - w; i += w)
            {
                V.StoreStreaming(k.ForwardWithDerivative(V.Load(ref Unsafe.Add(ref xs, i)), out V dv), py + i);
                V.StoreStreaming(dv, pd + i);
            }
            if (i < n) FusedTail(k, x[i..], y[i..], d[i..]);
            Sse.StoreFence();
        }
    }

    // A separate method, not a branch of the loop above: one inlined copy of the kernel per method.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FusedStreamingYCore<K, V>(K k, ReadOnlySpan<float> x, Span<float> y, Span<float> d, float* py)
        where K : struct, IFusedDerivativeKernel where V : struct, ISimdVec<V>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(d);
        int n = x.Length, w = V.Count, i = Head(py, n);
        if (i > 0) FusedTail(k, x[..i], y[..i], d[..i]);
        for (; i <= n - w; i += w)
        {
            V.StoreStreaming(k.ForwardWithDerivative(V.Load(ref Unsafe.Add(ref xs, i)), out V dv), py + i);
            V.Store(dv, ref Unsafe.Add(ref ds, i));
        }
        if (i < n) FusedTail(k, x[i..], y[i..], d[i..]);
        Sse.StoreFence();
    }

    private static unsafe void ForwardWithDerivativeParallel<K>(K k, ReadOnlySpan<float> x, Span<float> y, Span<float> d, SimdTier tier, bool stream)
        where K : struct, IFusedDerivativeKernel
    {
        int n = x.Length, chunks = Chunks(n);
        fixed (float* px = x, py = y, pd = d)
        {
            nint ax = (nint)px, ay = (nint)py, ad = (nint)pd;
            Parallelism.For(chunks, c =>
            {
                (int s, int len) = Range(n, chunks, c);
                ForwardWithDerivativeTier(k, new ReadOnlySpan<float>((float*)ax + s, len), new Span<float>((float*)ay + s, len),
                    new Span<float>((float*)ad + s, len), tier, stream);
            });
        }
    }
}
