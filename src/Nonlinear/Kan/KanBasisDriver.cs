using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// The one loop that runs every <see cref="IKanBasisKernel"/> over a batch: rows split across threads in fixed
/// chunks, inputs in vectors of the chosen width, the input tail one lane at a time. Never allocates.
/// </summary>
internal static class KanBasisDriver
{
    /// <summary>Below this many x values a call runs on the calling thread.</summary>
    public const int ParallelThreshold = 1 << 14;

    /// <summary>
    /// features[r·ld + offset + j·inputs + i] = B_j(x[r·inputs + i]) for every row r, input i and basis j.
    /// </summary>
    public static void Expand<K>(in K kernel, ReadOnlySpan<float> x, int rows, int inputs, Span<float> features, int ld, int offset,
        SimdTier tier = SimdTier.Auto) where K : struct, IKanBasisKernel
    {
        Check(kernel.Count, x.Length, rows, inputs, features.Length, ld, offset);
        var k = kernel;
        unsafe
        {
            fixed (float* px = x, pf = features)
            {
                float* cx = px, cf = pf;
                Run(rows, inputs, (r0, r1) =>
                {
                    for (int r = r0; r < r1; r++)
                        ExpandRow(k, new ReadOnlySpan<float>(cx + (nint)r * inputs, inputs), ref cf[(nint)r * ld + offset], inputs, tier);
                });
            }
        }
    }

    /// <summary>
    /// dx[r·inputs + i] += Σ_j g[r·ld + offset + j·inputs + i]·B′_j(x[r·inputs + i]): the input gradient through an expansion.
    /// </summary>
    public static void AccumulateInputGrad<K>(in K kernel, ReadOnlySpan<float> x, int rows, int inputs, ReadOnlySpan<float> g, int ld, int offset,
        Span<float> dx, SimdTier tier = SimdTier.Auto) where K : struct, IKanBasisKernel
    {
        Check(kernel.Count, x.Length, rows, inputs, g.Length, ld, offset);
        if (dx.Length != x.Length) throw new ArgumentException($"dx has length {dx.Length}; expected {x.Length} (x's length).", nameof(dx));
        var k = kernel;
        unsafe
        {
            fixed (float* px = x, pg = g, pd = dx)
            {
                float* cx = px, cg = pg, cd = pd;
                Run(rows, inputs, (r0, r1) =>
                {
                    for (int r = r0; r < r1; r++)
                        GradRow(k, new ReadOnlySpan<float>(cx + (nint)r * inputs, inputs), ref cg[(nint)r * ld + offset],
                            new Span<float>(cd + (nint)r * inputs, inputs), tier);
                });
            }
        }
    }

    private static void Check(int count, int xLen, int rows, int inputs, int fLen, int ld, int offset)
    {
        if (rows < 0 || inputs <= 0) throw new ArgumentException($"rows must be ≥ 0 and inputs > 0; got {rows}, {inputs}.", nameof(rows));
        if (xLen != (long)rows * inputs) throw new ArgumentException($"x has length {xLen}; expected rows·inputs = {(long)rows * inputs}.", "x");
        if (offset < 0 || ld < offset + (long)count * inputs)
            throw new ArgumentException($"ld = {ld}, offset = {offset}: a row needs offset + Count·inputs = {offset + (long)count * inputs} columns.", nameof(ld));
        if (rows > 0 && fLen < (long)(rows - 1) * ld + offset + (long)count * inputs)
            throw new ArgumentException($"features have length {fLen}; {rows} rows with ld = {ld} need {(long)(rows - 1) * ld + offset + (long)count * inputs}.", "features");
    }

    // Fixed chunking (depends on sizes and MaxThreads only), and no cross-row reduction: results never depend on scheduling.
    private static void Run(int rows, int inputs, Action<int, int> body)
    {
        int threads = Parallelism.MaxThreads;
        if (threads == 1 || (long)rows * inputs < ParallelThreshold || rows < 2) { body(0, rows); return; }
        int chunks = Math.Min(rows, threads * 4);
        Parallelism.For(chunks, c => body((int)((long)rows * c / chunks), (int)((long)rows * (c + 1) / chunks)));
    }

    private static void ExpandRow<K>(in K k, ReadOnlySpan<float> x, ref float dst, int inputs, SimdTier tier) where K : struct, IKanBasisKernel
    {
        switch (Simd.Resolve(tier))
        {
            case SimdTier.Vec512: ExpandCore<K, Vec512>(k, x, ref dst, inputs); break;
            case SimdTier.Vec256: ExpandCore<K, Vec256>(k, x, ref dst, inputs); break;
            case SimdTier.Vec128: ExpandCore<K, Vec128>(k, x, ref dst, inputs); break;
            default: ExpandCore<K, Scalar>(k, x, ref dst, inputs); break;
        }
    }

    private static void GradRow<K>(in K k, ReadOnlySpan<float> x, ref float g, Span<float> dx, SimdTier tier) where K : struct, IKanBasisKernel
    {
        switch (Simd.Resolve(tier))
        {
            case SimdTier.Vec512: GradCore<K, Vec512>(k, x, ref g, dx); break;
            case SimdTier.Vec256: GradCore<K, Vec256>(k, x, ref g, dx); break;
            case SimdTier.Vec128: GradCore<K, Vec128>(k, x, ref g, dx); break;
            default: GradCore<K, Scalar>(k, x, ref g, dx); break;
        }
    }

    // Scratch: one buffer per row call, sized for the widest register (64 bytes a lane-group), never per vector.
    private const int MaxScratchFloats = 16 * 1024;

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void ExpandCore<K, V>(in K k, ReadOnlySpan<float> x, ref float dst, int inputs)
        where K : struct, IKanBasisKernel where V : unmanaged, ISimdVec<V>
    {
        int need = k.ScratchPerLane * V.Count;
        Span<float> scratch = need <= MaxScratchFloats ? stackalloc float[Math.Max(need, 1)] : new float[need];
        ref float ps = ref MemoryMarshal.GetReference(scratch);
        ref float px = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= inputs - V.Count; i += V.Count)
            k.Expand(i, V.Load(ref Unsafe.Add(ref px, i)), ref Unsafe.Add(ref dst, i), inputs, ref ps);
        for (; i < inputs; i++)
            k.Expand(i, Scalar.Load(ref Unsafe.Add(ref px, i)), ref Unsafe.Add(ref dst, i), inputs, ref ps);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void GradCore<K, V>(in K k, ReadOnlySpan<float> x, ref float g, Span<float> dx)
        where K : struct, IKanBasisKernel where V : unmanaged, ISimdVec<V>
    {
        int inputs = x.Length;
        int need = k.ScratchPerLane * V.Count;
        Span<float> scratch = need <= MaxScratchFloats ? stackalloc float[Math.Max(need, 1)] : new float[need];
        ref float ps = ref MemoryMarshal.GetReference(scratch);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pd = ref MemoryMarshal.GetReference(dx);
        int i = 0;
        for (; i <= inputs - V.Count; i += V.Count)
        {
            V d = k.InputGrad(i, V.Load(ref Unsafe.Add(ref px, i)), ref Unsafe.Add(ref g, i), inputs, ref ps);
            V.Store(V.Load(ref Unsafe.Add(ref pd, i)) + d, ref Unsafe.Add(ref pd, i));
        }
        for (; i < inputs; i++)
        {
            Scalar d = k.InputGrad(i, Scalar.Load(ref Unsafe.Add(ref px, i)), ref Unsafe.Add(ref g, i), inputs, ref ps);
            Unsafe.Add(ref pd, i) += d.V;
        }
    }
}
