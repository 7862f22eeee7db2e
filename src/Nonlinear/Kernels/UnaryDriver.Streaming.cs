using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>
/// The driver's loops for outputs far larger than the last-level cache: the same formula, lane for lane, with
/// non-temporal stores.
/// </summary>
/// <remarks>
/// Why: a plain store first reads the destination line for ownership, so y = f(x) over 64 MiB moves 12 bytes per element
/// (read x, read y, write y) where 8 are needed; relu at 16M elements is bound by exactly that traffic. A streaming store
/// writes the line without reading it. Below <see cref="StreamingThreshold"/> the output may still be in cache when the
/// next kernel reads it (backward right after forward), and a streaming store would evict it, so small calls keep the
/// plain loop. The bits do not change: the vector body and the scalar head and tail compute the same formula.
/// </remarks>
internal static partial class UnaryDriver
{
    /// <summary>
    /// Outputs of at least this many floats (16 MiB, half the L3 of the machines we measure) are streamed. A field, not a
    /// constant, only so the benchmark can switch streaming off and compare both loops in one process.
    /// </summary>
    internal static int StreamingThreshold = 1 << 22;

    /// <summary>
    /// Whether a call of <paramref name="n"/> elements streams its output: large, on x86, and not in place (in place, the
    /// line is already read, so there is no read for ownership to save).
    /// </summary>
    private static bool Streams(int n, ref float output, ref float input) =>
        n >= StreamingThreshold && Sse.IsSupported && !Unsafe.AreSame(ref output, ref input);

    private static void ForwardStreamingTier<K>(in K k, ReadOnlySpan<float> x, Span<float> y, SimdTier tier) where K : struct, IUnaryKernel
    {
        switch (Simd.Resolve(tier))
        {
            case SimdTier.Vec512: ForwardStreamingCore<K, Vec512>(k, x, y); break;
            case SimdTier.Vec256: ForwardStreamingCore<K, Vec256x2>(k, x, y); break;
            case SimdTier.Vec128: ForwardStreamingCore<K, Vec128>(k, x, y); break;
            default: ForwardCore<K, Scalar>(k, x, y); break;
        }
    }

    private static void BackwardStreamingTier<K>(in K k, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx,
        SimdTier tier) where K : struct, IDifferentiableKernel
    {
        switch (Simd.Resolve(tier))
        {
            case SimdTier.Vec512: BackwardStreamingCore<K, Vec512>(k, x, y, dy, dx); break;
            case SimdTier.Vec256: BackwardStreamingCore<K, Vec256x2>(k, x, y, dy, dx); break;
            case SimdTier.Vec128: BackwardStreamingCore<K, Vec128>(k, x, y, dy, dx); break;
            default: BackwardCore<K, Scalar>(k, x, y, dy, dx); break;
        }
    }

    /// <summary>Elements before the first 64-byte boundary of <paramref name="p"/> (at most <paramref name="n"/>).</summary>
    private static unsafe int Head(float* p, int n) => Math.Min(n, (int)((64 - ((nint)p & 63)) & 63) / sizeof(float));

    // NoInlining for the reason ForwardCore gives: one inlined copy of the kernel per method.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void ForwardStreamingCore<K, V>(K k, ReadOnlySpan<float> x, Span<float> y)
        where K : struct, IUnaryKernel where V : struct, ISimdVec<V>
    {
        fixed (float* py = y) // the streaming store takes an address; pinned for the whole loop
        {
            ref float xs = ref MemoryMarshal.GetReference(x);
            int n = x.Length, w = V.Count, i = Head(py, n);
            if (i > 0) ForwardTail(k, x[..i], y[..i]);
            for (; i <= n - w; i += w)
                V.StoreStreaming(k.Forward(V.Load(ref Unsafe.Add(ref xs, i))), py + i);
            if (i < n) ForwardTail(k, x[i..], y[i..]);
            // Streaming stores are weakly ordered: make them visible before the caller (or the joining thread) reads y.
            Sse.StoreFence();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void BackwardStreamingCore<K, V>(K k, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        where K : struct, IDifferentiableKernel where V : struct, ISimdVec<V>
    {
        fixed (float* pd = dx)
        {
            // As in BackwardCore: a kernel that does not read x (or y) gets dy's memory there, loaded and never used.
            ref float gs = ref MemoryMarshal.GetReference(dy);
            ref float xs = ref x.IsEmpty ? ref gs : ref MemoryMarshal.GetReference(x);
            ref float ys = ref y.IsEmpty ? ref gs : ref MemoryMarshal.GetReference(y);
            int n = dy.Length, w = V.Count, i = Head(pd, n);
            if (i > 0) BackwardTail(k, ref xs, ref ys, dy[..i], dx[..i]);
            for (; i <= n - w; i += w)
            {
                V d = k.Derivative(V.Load(ref Unsafe.Add(ref xs, i)), V.Load(ref Unsafe.Add(ref ys, i)));
                V.StoreStreaming(V.Load(ref Unsafe.Add(ref gs, i)) * d, pd + i);
            }
            if (i < n) BackwardTail(k, ref Unsafe.Add(ref xs, i), ref Unsafe.Add(ref ys, i), dy[i..], dx[i..]);
            Sse.StoreFence();
        }
    }
}
