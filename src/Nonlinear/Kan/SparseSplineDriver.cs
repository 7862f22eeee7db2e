using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// Loops of the sparse cubic B-spline KAN path: forward, weight gradient and input gradient over the live windows only,
/// plus the fold of the parameters into padded weight tiles and back (<see cref="SparseSplineKernels"/> holds the per-tile
/// arithmetic). Work is split into fixed pieces (chunks of samples for the forward and dx, inputs for the weight
/// gradient), and every sum runs in one fixed order, so results never depend on scheduling or on the thread count.
/// </summary>
/// <remarks>
/// A dense feature row has 1 + G + k columns per input of which at most 1 + (k + 1) are nonzero (5 of 9 for pykan's
/// G = 5, k = 3; 5 of 24 at G = 20); the dense GEMM spends the rest multiplying zeros. Every product walks one input's
/// samples bucket by bucket (<see cref="SparseSplineBuckets"/>), so the bucket's 5 weight rows, or its 5×4 gradient
/// sums, stay in registers while the samples stream past: about one load per two FMAs instead of one per FMA.
/// </remarks>
internal static unsafe class SparseSplineDriver
{
    /// <summary>Below this many x values a call runs on the calling thread.</summary>
    public const int ParallelThreshold = 1 << 14;
    /// <summary>Outputs rounded up to whole tiles: the row length of the padded y and g the kernels use.</summary>
    public static int PaddedOutputs(int outputs) => TileCount(outputs) * SparseSplineKernels.Tile;

    /// <summary>y [rows, yStride = PaddedOutputs] += the layer's output over the live rows of the padded weights wp.</summary>
    public static void Forward(SparseSplineBuckets b, ReadOnlySpan<float> wp, int rowsPerInput, Span<float> y, int yStride, SimdTier tier)
    {
        const int T = SparseSplineKernels.Tile;
        int inputs = b.Inputs;
        fixed (float* pw = wp, py = y)
        {
            float* cw = pw, cy = py;
            // Chunks own disjoint rows of y; inside a chunk, tile by tile and input by input, in that fixed order.
            Run(b.Chunks, b.Rows, inputs, (c0, c1) =>
            {
                for (int ch = c0; ch < c1; ch++)
                    for (int t = 0; t < yStride / T; t++)
                        for (int i = 0; i < inputs; i++)
                            for (int lane = 0; lane < T; lane += 4 * Width(tier))
                            {
                                ref float w = ref *(cw + (((nint)t * inputs + i) * rowsPerInput) * T + lane);
                                ref float yt = ref *(cy + (nint)t * T + lane);
                                switch (Simd.Resolve(tier))
                                {
                                    case SimdTier.Vec512: SparseSplineKernels.ForwardTile4<Vec512>(ref b.PackedAt(ch, i), b.OrderOf(ch, i), b.StartOf(ch, i), ref w, ref yt, yStride); break;
                                    case SimdTier.Vec256: SparseSplineKernels.ForwardTile4<Vec256>(ref b.PackedAt(ch, i), b.OrderOf(ch, i), b.StartOf(ch, i), ref w, ref yt, yStride); break;
                                    case SimdTier.Vec128: SparseSplineKernels.ForwardTile4<Vec128>(ref b.PackedAt(ch, i), b.OrderOf(ch, i), b.StartOf(ch, i), ref w, ref yt, yStride); break;
                                    default: SparseSplineKernels.ForwardTile4<Scalar>(ref b.PackedAt(ch, i), b.OrderOf(ch, i), b.StartOf(ch, i), ref w, ref yt, yStride); break;
                                }
                            }
            });
        }
    }

    /// <summary>
    /// gwp (padded layout) = Σ_n (silu, window values) ⊗ g[n] for g [rows, gStride = PaddedOutputs]: inputs split across
    /// threads, every input's sum running chunk by chunk and bucket by bucket.
    /// </summary>
    public static void WeightGrad(SparseSplineBuckets b, ReadOnlySpan<float> g, int gStride, Span<float> gwp, int rowsPerInput, SimdTier tier)
    {
        const int T = SparseSplineKernels.Tile;
        int inputs = b.Inputs;
        fixed (float* pg = g, pw = gwp)
        {
            float* cg = pg, cw = pw;
            Run(inputs, b.Rows, inputs, (i0, i1) =>
            {
                for (int t = 0; t < gStride / T; t++)
                    for (int i = i0; i < i1; i++)
                    {
                        float* rows = cw + ((nint)t * inputs + i) * rowsPerInput * T;
                        new Span<float>(rows, rowsPerInput * T).Clear();
                        for (int ch = 0; ch < b.Chunks; ch++)
                            for (int lane = 0; lane < T; lane += 4 * Width(tier))
                            {
                                ref float gt = ref *(cg + (nint)t * T + lane);
                                switch (Simd.Resolve(tier))
                                {
                                    case SimdTier.Vec512: SparseSplineKernels.WeightGradTile4<Vec512>(ref b.PackedAt(ch, i), b.OrderOf(ch, i), b.StartOf(ch, i), ref gt, gStride, ref *(rows + lane)); break;
                                    case SimdTier.Vec256: SparseSplineKernels.WeightGradTile4<Vec256>(ref b.PackedAt(ch, i), b.OrderOf(ch, i), b.StartOf(ch, i), ref gt, gStride, ref *(rows + lane)); break;
                                    case SimdTier.Vec128: SparseSplineKernels.WeightGradTile4<Vec128>(ref b.PackedAt(ch, i), b.OrderOf(ch, i), b.StartOf(ch, i), ref gt, gStride, ref *(rows + lane)); break;
                                    default: SparseSplineKernels.WeightGradTile4<Scalar>(ref b.PackedAt(ch, i), b.OrderOf(ch, i), b.StartOf(ch, i), ref gt, gStride, ref *(rows + lane)); break;
                                }
                            }
                    }
            });
        }
    }

    /// <summary>
    /// dx [rows, inputs] = Σ_o g[n, o]·(s′·wp[i, 0, o] + Σ_q v′_q·wp[i, 1 + m + q, o]) from the derivative windows of
    /// <paramref name="b"/> (<see cref="SparseSplineBuckets.Build"/> with derivatives): only the live terms of g·W.
    /// </summary>
    public static void InputGrad(SparseSplineBuckets b, ReadOnlySpan<float> wp, int rowsPerInput, ReadOnlySpan<float> g, int gStride, Span<float> dx, SimdTier tier)
    {
        int inputs = b.Inputs;
        fixed (float* pw = wp, pg = g, pd = dx)
        {
            float* cw = pw, cg = pg, cd = pd;
            Run(b.Chunks, b.Rows, inputs, (c0, c1) =>
            {
                switch (Simd.Resolve(tier))
                {
                    case SimdTier.Vec512: InputGradChunks<Vec512>(b, c0, c1, cw, rowsPerInput, cg, gStride, cd); break;
                    case SimdTier.Vec256: InputGradChunks<Vec256>(b, c0, c1, cw, rowsPerInput, cg, gStride, cd); break;
                    case SimdTier.Vec128: InputGradChunks<Vec128>(b, c0, c1, cw, rowsPerInput, cg, gStride, cd); break;
                    default: InputGradChunks<Scalar>(b, c0, c1, cw, rowsPerInput, cg, gStride, cd); break;
                }
            });
        }
    }

    [SkipLocalsInit]
    private static void InputGradChunks<V>(SparseSplineBuckets b, int c0, int c1, float* wp, int rowsPerInput, float* g, int gStride, float* dx)
        where V : unmanaged, ISimdVec<V>
    {
        const int T = SparseSplineKernels.Tile;
        int inputs = b.Inputs;
        var acc = ArrayPool<float>.Shared.Rent(SparseSplineBuckets.ChunkRows * V.Count);
        try
        {
            for (int ch = c0; ch < c1; ch++)
            {
                int first = b.ChunkStart(ch), count = b.ChunkLength(ch);
                for (int i = 0; i < inputs; i++)
                {
                    acc.AsSpan(0, count * V.Count).Clear();
                    for (int t = 0; t < gStride / T; t++)
                        for (int lane = 0; lane < T; lane += 4 * V.Count)
                            SparseSplineKernels.InputGradTile4<V>(ref b.PackedAt(ch, i, derivative: true), b.OrderOf(ch, i), b.StartOf(ch, i),
                                ref *(wp + (((nint)t * inputs + i) * rowsPerInput) * T + lane), ref *(g + (nint)t * T + lane), gStride, ref acc[0], first);
                    for (int n = 0; n < count; n++) dx[(nint)(first + n) * inputs + i] = V.Sum(V.Load(ref acc[n * V.Count]));
                }
            }
        }
        finally { ArrayPool<float>.Shared.Return(acc); }
    }

    private static int Width(SimdTier tier) => Simd.Resolve(tier) switch
    {
        SimdTier.Vec512 => Vec512.Count,
        SimdTier.Vec256 => Vec256.Count,
        SimdTier.Vec128 => Vec128.Count,
        _ => 1,
    };

    /// <summary>
    /// Folds the edge parameters into the padded tile layout of <see cref="SparseSplineKernels"/>: row 0 = mask·scale_base
    /// (left zero without a base branch), row 1 + k + j = mask·scale_sp·coef_j. Padding rows and lanes are not touched.
    /// </summary>
    public static void Fold(ReadOnlySpan<float> scaleBase, ReadOnlySpan<float> scaleSp, ReadOnlySpan<float> coef, ReadOnlySpan<float> mask,
        int outputs, int inputs, int count, Span<float> wp, int rowsPerInput)
    {
        fixed (float* psb = scaleBase, pss = scaleSp, pc = coef, pm = mask, pw = wp)
        {
            float* sb = scaleBase.IsEmpty ? null : psb, ss = pss, c = pc, m = pm, w = pw;
            Run(TileCount(outputs), outputs, count * inputs, (t0, t1) =>
            {
                for (int t = t0; t < t1; t++)
                    for (int i = 0; i < inputs; i++)
                    {
                        float* block = w + ((nint)t * inputs + i) * rowsPerInput * SparseSplineKernels.Tile;
                        int lanes = Math.Min(SparseSplineKernels.Tile, outputs - t * SparseSplineKernels.Tile);
                        for (int l = 0; l < lanes; l++)
                        {
                            nint e = (nint)(t * SparseSplineKernels.Tile + l) * inputs + i;
                            if (sb is not null) block[l] = m[e] * sb[e];
                            float scale = m[e] * ss[e];
                            float* ce = c + e * count;
                            float* row = block + (1 + SparseSplineKernels.Window - 1) * SparseSplineKernels.Tile + l;
                            for (int j = 0; j < count; j++) row[j * SparseSplineKernels.Tile] = scale * ce[j];
                        }
                    }
            });
        }
    }

    /// <summary>
    /// The parameter gradients from the padded weight gradient gwp: scale_base mask·G_0, scale_sp mask·Σ_j G_j·coef_j (summed
    /// in double), coef mask·scale_sp·G_j (added into <paramref name="coefGrad"/> from <paramref name="coefOffset"/> when
    /// <paramref name="accumulate"/>). A null target is skipped.
    /// </summary>
    public static void Unfold(ReadOnlySpan<float> gwp, int rowsPerInput, ReadOnlySpan<float> scaleSp, ReadOnlySpan<float> coef, ReadOnlySpan<float> mask,
        int outputs, int inputs, int count, float[]? scaleBaseGrad, float[]? scaleSpGrad, float[]? coefGrad, int coefOffset, bool accumulate)
    {
        fixed (float* pg = gwp, pss = scaleSp, pc = coef, pm = mask)
        {
            float* gw = pg, ss = pss, c = pc, m = pm;
            Run(TileCount(outputs), outputs, count * inputs, (t0, t1) =>
            {
                for (int t = t0; t < t1; t++)
                    for (int i = 0; i < inputs; i++)
                    {
                        float* block = gw + ((nint)t * inputs + i) * rowsPerInput * SparseSplineKernels.Tile;
                        int lanes = Math.Min(SparseSplineKernels.Tile, outputs - t * SparseSplineKernels.Tile);
                        for (int l = 0; l < lanes; l++)
                        {
                            int e = (t * SparseSplineKernels.Tile + l) * inputs + i;
                            if (scaleBaseGrad is not null) scaleBaseGrad[e] = m[e] * block[l];
                            float scale = m[e] * ss[e];
                            float* row = block + SparseSplineKernels.Window * SparseSplineKernels.Tile + l;
                            double a = 0;
                            for (int j = 0; j < count; j++)
                            {
                                float gj = row[j * SparseSplineKernels.Tile];
                                a += (double)gj * c[(nint)e * count + j];
                                if (coefGrad is null) continue;
                                if (accumulate) coefGrad[coefOffset + e * count + j] += gj * scale;
                                else coefGrad[e * count + j] = gj * scale;
                            }
                            if (scaleSpGrad is not null) scaleSpGrad[e] = (float)(m[e] * a);
                        }
                    }
            });
        }
    }

    private static int TileCount(int outputs) => (outputs + SparseSplineKernels.Tile - 1) / SparseSplineKernels.Tile;

    /// <summary>
    /// <paramref name="length"/> floats of a pinned buffer starting on a 64-byte boundary (a 64-byte load from an unaligned
    /// row splits across two cache lines). A new buffer is zeroed; a reused one keeps its contents.
    /// </summary>
    public static Span<float> Aligned(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length != length + 16) buffer = GC.AllocateArray<float>(length + 16, pinned: true);
        fixed (float* p = buffer)
        {
            int skip = (int)((64 - ((nint)p & 63)) & 63) / sizeof(float);
            return buffer.AsSpan(skip, length);
        }
    }

    // Fixed chunking by (items, size of the whole job): small jobs run inline.
    internal static void Run(int items, int rows, int inputs, Action<int, int> body)
    {
        int threads = Parallelism.MaxThreads;
        if (threads == 1 || (long)rows * inputs < ParallelThreshold || items < 2) { body(0, items); return; }
        int chunks = Math.Min(items, threads);
        Parallelism.For(chunks, ch => body((int)((long)items * ch / chunks), (int)((long)items * (ch + 1) / chunks)));
    }
}
