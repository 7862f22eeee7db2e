using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nonlinear.Kernels;

/// <summary>
/// The one loop that runs every elementwise kernel: vectors of the chosen width, unrolled by two, then the
/// tail through the same formula one lane at a time. Large inputs are split across <see cref="Parallelism.MaxThreads"/>.
/// Never allocates. In-place use (x and y the same memory) is allowed; partial overlap is not.
/// </summary>
internal static partial class UnaryDriver
{
    /// <summary>Below this many elements a kernel runs on the calling thread.</summary>
    public const int ParallelThreshold = 1 << 16;

    /// <summary>y[i] = f(x[i]).</summary>
    public static void Forward<K>(in K kernel, ReadOnlySpan<float> x, Span<float> y, SimdTier tier = SimdTier.Auto)
        where K : struct, IUnaryKernel
    {
        CheckLengths(x.Length, y.Length, nameof(y));
        bool stream = Streams(x.Length, ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(x));
        if (x.Length >= ParallelThreshold && Parallelism.MaxThreads > 1)
            ForwardParallel(kernel, x, y, tier, stream);
        else
            ForwardTier(kernel, x, y, tier, stream);
    }

    /// <summary>dx[i] = dy[i] · f'(x[i], y[i]). Pass an empty span for whichever of x or y the kernel does not read.</summary>
    public static void Backward<K>(in K kernel, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier = SimdTier.Auto)
        where K : struct, IDifferentiableKernel
    {
        CheckLengths(dy.Length, dx.Length, nameof(dx));
        if (!x.IsEmpty) CheckLengths(dy.Length, x.Length, nameof(x));
        if (!y.IsEmpty) CheckLengths(dy.Length, y.Length, nameof(y));
        ref float d = ref MemoryMarshal.GetReference(dx);
        bool stream = Streams(dy.Length, ref d, ref MemoryMarshal.GetReference(dy))
                      && !Unsafe.AreSame(ref d, ref MemoryMarshal.GetReference(x)) && !Unsafe.AreSame(ref d, ref MemoryMarshal.GetReference(y));
        if (dy.Length >= ParallelThreshold && Parallelism.MaxThreads > 1)
            BackwardParallel(kernel, x, y, dy, dx, tier, stream);
        else
            BackwardTier(kernel, x, y, dy, dx, tier, stream);
    }

    private static void CheckLengths(int expected, int actual, string name)
    {
        if (expected != actual)
            throw new ArgumentException($"{name} has length {actual}; expected {expected} (the input's length).", name);
    }

    private static void ForwardTier<K>(in K k, ReadOnlySpan<float> x, Span<float> y, SimdTier tier, bool stream) where K : struct, IUnaryKernel
    {
        if (stream)
        {
            ForwardStreamingTier(k, x, y, tier);
            return;
        }
        switch (Simd.Resolve(tier))
        {
            case SimdTier.Vec512: ForwardCore<K, Vec512>(k, x, y); break;
            case SimdTier.Vec256: ForwardCore<K, Vec256x2>(k, x, y); break;
            case SimdTier.Vec128: ForwardCore<K, Vec128>(k, x, y); break;
            default: ForwardCore<K, Scalar>(k, x, y); break;
        }
    }

    private static void BackwardTier<K>(in K k, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier,
        bool stream) where K : struct, IDifferentiableKernel
    {
        if (stream)
        {
            BackwardStreamingTier(k, x, y, dy, dx, tier);
            return;
        }
        switch (Simd.Resolve(tier))
        {
            case SimdTier.Vec512: BackwardCore<K, Vec512>(k, x, y, dy, dx); break;
            case SimdTier.Vec256: BackwardCore<K, Vec256x2>(k, x, y, dy, dx); break;
            case SimdTier.Vec128: BackwardCore<K, Vec128>(k, x, y, dy, dx); break;
            default: BackwardCore<K, Scalar>(k, x, y, dy, dx); break;
        }
    }

    // One inlined copy of the kernel per loop: a heavy formula (erf, sigmoid) inlined two or three times
    // exhausts the JIT's inlining budget, and the SIMD wrappers would then stay real calls (measured: silu
    // forward 0.46 Gelem/s that way). The tails run in separate methods for the same reason, and the cores are
    // NoInlining: Tier1 code of ForwardTier otherwise inlined a core, and gelu's Vec256x2 core then overran the budget
    // there (gelu at 7.9 instead of 1.3 ns/element, act-kernel). The AVX2 tier runs the core with Vec256x2, two registers
    // per step, because one 8-lane chain of dependent FMAs leaves the FMA pipes idle (see Vec256x2).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardCore<K, V>(K k, ReadOnlySpan<float> x, Span<float> y)
        where K : struct, IUnaryKernel where V : struct, ISimdVec<V>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int n = x.Length, w = V.Count, i = 0;
        for (; i <= n - w; i += w)
            V.Store(k.Forward(V.Load(ref Unsafe.Add(ref xs, i))), ref Unsafe.Add(ref ys, i));
        if (i < n) ForwardTail(k, x[i..], y[i..]);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardTail<K>(K k, ReadOnlySpan<float> x, Span<float> y) where K : struct, IUnaryKernel
    {
        for (int i = 0; i < x.Length; i++)
            y[i] = k.Forward(new Scalar(x[i])).V;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardCore<K, V>(K k, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        where K : struct, IDifferentiableKernel where V : struct, ISimdVec<V>
    {
        // A kernel that does not read x (or y) gets dy's memory there: valid to load, never used.
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float xs = ref x.IsEmpty ? ref gs : ref MemoryMarshal.GetReference(x);
        ref float ys = ref y.IsEmpty ? ref gs : ref MemoryMarshal.GetReference(y);
        ref float ds = ref MemoryMarshal.GetReference(dx);
        int n = dy.Length, w = V.Count, i = 0;
        for (; i <= n - w; i += w)
        {
            V d = k.Derivative(V.Load(ref Unsafe.Add(ref xs, i)), V.Load(ref Unsafe.Add(ref ys, i)));
            V.Store(V.Load(ref Unsafe.Add(ref gs, i)) * d, ref Unsafe.Add(ref ds, i));
        }
        if (i < n) BackwardTail(k, ref Unsafe.Add(ref xs, i), ref Unsafe.Add(ref ys, i), dy[i..], dx[i..]);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardTail<K>(K k, ref float xs, ref float ys, ReadOnlySpan<float> dy, Span<float> dx) where K : struct, IDifferentiableKernel
    {
        for (int i = 0; i < dy.Length; i++)
        {
            Scalar d = k.Derivative(new Scalar(Unsafe.Add(ref xs, i)), new Scalar(Unsafe.Add(ref ys, i)));
            dx[i] = dy[i] * d.V;
        }
    }

    private static unsafe void ForwardParallel<K>(K k, ReadOnlySpan<float> x, Span<float> y, SimdTier tier, bool stream) where K : struct, IUnaryKernel
    {
        int n = x.Length, chunks = Chunks(n);
        fixed (float* px = x, py = y)
        {
            nint ax = (nint)px, ay = (nint)py;
            Parallelism.For(chunks, c =>
            {
                (int start, int len) = Range(n, chunks, c);
                ForwardTier(k, new ReadOnlySpan<float>((float*)ax + start, len), new Span<float>((float*)ay + start, len), tier, stream);
            });
        }
    }

    private static unsafe void BackwardParallel<K>(K k, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, SimdTier tier,
        bool stream) where K : struct, IDifferentiableKernel
    {
        int n = dy.Length, chunks = Chunks(n);
        bool hasX = !x.IsEmpty, hasY = !y.IsEmpty;
        fixed (float* px = x, py = y, pg = dy, pd = dx)
        {
            nint ax = (nint)px, ay = (nint)py, ag = (nint)pg, ad = (nint)pd;
            Parallelism.For(chunks, c =>
            {
                (int s, int len) = Range(n, chunks, c);
                BackwardTier(k,
                    hasX ? new ReadOnlySpan<float>((float*)ax + s, len) : default,
                    hasY ? new ReadOnlySpan<float>((float*)ay + s, len) : default,
                    new ReadOnlySpan<float>((float*)ag + s, len), new Span<float>((float*)ad + s, len), tier, stream);
            });
        }
    }

    private static int Chunks(int n) => ElementwiseChunks.Count(n, ParallelThreshold);

    private static (int Start, int Length) Range(int n, int chunks, int c) => ElementwiseChunks.Range(n, chunks, c);
}
