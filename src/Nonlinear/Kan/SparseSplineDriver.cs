using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// Loops of the sparse cubic B-spline KAN path: compact expansion, forward y += F·W over live windows only, and the weight
/// gradient by buckets of equal window start (<see cref="SparseSplineKernels"/> holds the per-tile arithmetic). Work is
/// split into fixed chunks (samples for the expansion and the forward, inputs for the weight gradient), and no sum
/// crosses a chunk, so results never depend on scheduling or on the thread count.
/// </summary>
/// <remarks>
/// A dense feature row has 1 + G + k columns per input of which at most 1 + (k + 1) are nonzero (5 of 9 for pykan's
/// G = 5, k = 3); the dense GEMM spends the rest multiplying zeros. The weight gradient keeps a bucket's 4×4 window
/// sums in registers, so it runs at FMA speed rather than at store speed.
/// </remarks>
internal static unsafe class SparseSplineDriver
{
    /// <summary>Below this many x values a call runs on the calling thread.</summary>
    public const int ParallelThreshold = 1 << 14;
    // Forward: the rows of 8 inputs in one tile (8 inputs · 15 rows · 256 B ≈ 31 KB at G = 5) stay in L1 while every
    // sample of the chunk streams past them.
    private const int InputBlock = 8;

    /// <summary>Floats of the compact features of <paramref name="rows"/> samples (inputs rounded up to whole groups).</summary>
    public static int CompactLength(int rows, int inputs) =>
        (inputs + SparseSplineKernels.Group - 1) / SparseSplineKernels.Group * rows * SparseSplineKernels.SampleStride;

    /// <summary>
    /// Compact features (see <see cref="SparseSplineKernels"/>) of x [rows, inputs] into f [CompactLength]; with
    /// <paramref name="derivative"/>, their derivatives instead (silu′, the window's B′, and the same m).
    /// </summary>
    public static void Expand(BSplineKernel splines, ReadOnlySpan<float> x, int rows, int inputs, Span<float> f, SimdTier tier, bool derivative = false)
    {
        fixed (float* px = x, pf = f)
        {
            float* cx = px, cf = pf;
            Run(rows, rows, inputs, (r0, r1) =>
            {
                for (int r = r0; r < r1; r++)
                {
                    var xr = new ReadOnlySpan<float>(cx + (nint)r * inputs, inputs);
                    switch (Simd.Resolve(tier))
                    {
                        case SimdTier.Vec512: ExpandRow<Vec512>(splines, xr, cf, rows, r, derivative); break;
                        case SimdTier.Vec256: ExpandRow<Vec256>(splines, xr, cf, rows, r, derivative); break;
                        case SimdTier.Vec128: ExpandRow<Vec128>(splines, xr, cf, rows, r, derivative); break;
                        default: ExpandRow<Scalar>(splines, xr, cf, rows, r, derivative); break;
                    }
                }
            });
        }
    }

    // Lanes never straddle a group: V.Count divides the group width, and vectors start at multiples of V.Count.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void ExpandRow<V>(BSplineKernel splines, ReadOnlySpan<float> x, float* f, int rows, int r, bool derivative) where V : unmanaged, ISimdVec<V>
    {
        const int G = SparseSplineKernels.Group;
        var window = new BSplineWindowKernel(splines);
        var silu = new SiluBase();
        int inputs = x.Length;
        Span<float> scratch = stackalloc float[window.ScratchPerLane * V.Count];
        ref float ps = ref scratch[0];
        int i = 0;
        for (; i <= inputs - V.Count; i += V.Count)
        {
            ref float dst = ref *(f + ((nint)(i / G) * rows + r) * SparseSplineKernels.SampleStride + i % G);
            V xv = V.Load(ref Unsafe.AsRef(in x[i]));
            ExpandLanes(window, silu, i, xv, ref dst, ref ps, derivative);
        }
        for (; i < inputs; i++)
        {
            ref float dst = ref *(f + ((nint)(i / G) * rows + r) * SparseSplineKernels.SampleStride + i % G);
            ExpandLanes(window, silu, i, Scalar.Create(x[i]), ref dst, ref ps, derivative);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpandLanes<V>(BSplineWindowKernel window, SiluBase silu, int i, V x, ref float dst, ref float scratch, bool derivative)
        where V : unmanaged, ISimdVec<V>
    {
        const int G = SparseSplineKernels.Group;
        if (derivative)
        {
            V.Store(SiluBase.Slope(x), ref dst);
            window.ExpandDerivative(i, x, ref Unsafe.Add(ref dst, G), G, ref scratch);
        }
        else
        {
            silu.Expand(i, x, ref dst, G, ref scratch);
            window.Expand(i, x, ref Unsafe.Add(ref dst, G), G, ref scratch);
        }
    }

    /// <summary>
    /// dx [rows, inputs] = Σ_o g[n, o]·(s′·wp[i, 0, o] + Σ_q v′_q·wp[i, 1 + m + q, o]) from the derivative features fd (see
    /// <see cref="Expand"/>), the padded weights and g [rows, gStride = PaddedOutputs]: the live terms of g·W only.
    /// </summary>
    public static void InputGrad(ReadOnlySpan<float> fd, int rows, int inputs, ReadOnlySpan<float> wp, int rowsPerInput, ReadOnlySpan<float> g, int gStride,
        Span<float> dx, SimdTier tier)
    {
        fixed (float* pf = fd, pw = wp, pg = g, pd = dx)
        {
            float* cf = pf, cw = pw, cg = pg, cd = pd;
            Run(rows, rows, inputs, (n0, n1) =>
            {
                switch (Simd.Resolve(tier))
                {
                    case SimdTier.Vec512: InputGradChunk<Vec512>(cf, rows, inputs, cw, rowsPerInput, cg, gStride, cd, n0, n1); break;
                    case SimdTier.Vec256: InputGradChunk<Vec256>(cf, rows, inputs, cw, rowsPerInput, cg, gStride, cd, n0, n1); break;
                    case SimdTier.Vec128: InputGradChunk<Vec128>(cf, rows, inputs, cw, rowsPerInput, cg, gStride, cd, n0, n1); break;
                    default: InputGradChunk<Scalar>(cf, rows, inputs, cw, rowsPerInput, cg, gStride, cd, n0, n1); break;
                }
            });
        }
    }

    // Inputs in pairs: their padded rows (2 · R · 256 B per tile) stay in L1 while the chunk's samples stream past.
    private static void InputGradChunk<V>(float* fd, int rows, int inputs, float* wp, int rowsPerInput, float* g, int gStride, float* dx, int n0, int n1)
        where V : unmanaged, ISimdVec<V>
    {
        const int G = SparseSplineKernels.Group, Pair = 2;
        for (int i0 = 0; i0 < inputs; i0 += Pair)
        {
            int group = i0 / G, i1 = Math.Min(i0 + Pair, inputs); // Pair divides G: a pair never straddles groups
            ref float fg = ref *(fd + (nint)group * rows * SparseSplineKernels.SampleStride);
            ref float w = ref *(wp + (nint)group * G * rowsPerInput * SparseSplineKernels.Tile);
            for (int n = n0; n < n1; n++)
                SparseSplineKernels.InputGradSample<V>(ref fg, i0 - group * G, i1 - group * G, ref w, rowsPerInput, (nint)inputs * rowsPerInput * SparseSplineKernels.Tile,
                    gStride / SparseSplineKernels.Tile, ref *(g + (nint)n * gStride), ref *(dx + (nint)n * inputs + group * G), n);
        }
    }

    /// <summary>Outputs rounded up to whole tiles: the row length of the padded y and g the kernels use.</summary>
    public static int PaddedOutputs(int outputs) => (outputs + SparseSplineKernels.Tile - 1) / SparseSplineKernels.Tile * SparseSplineKernels.Tile;

    /// <summary>
    /// y [rows, PaddedOutputs] += Σ_i (silu row 0 + live window rows) of the padded weights wp (see <see cref="SparseSplineKernels"/>).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> f, int rows, int inputs, ReadOnlySpan<float> wp, int rowsPerInput, Span<float> y, int yStride, SimdTier tier)
    {
        fixed (float* pf = f, pw = wp, py = y)
        {
            float* cf = pf, cw = pw, cy = py;
            Run(rows, rows, inputs, (n0, n1) =>
            {
                switch (Simd.Resolve(tier))
                {
                    case SimdTier.Vec512: ForwardChunk<Vec512>(cf, rows, inputs, cw, rowsPerInput, cy, yStride, n0, n1); break;
                    case SimdTier.Vec256: ForwardChunk<Vec256>(cf, rows, inputs, cw, rowsPerInput, cy, yStride, n0, n1); break;
                    case SimdTier.Vec128: ForwardChunk<Vec128>(cf, rows, inputs, cw, rowsPerInput, cy, yStride, n0, n1); break;
                    default: ForwardChunk<Scalar>(cf, rows, inputs, cw, rowsPerInput, cy, yStride, n0, n1); break;
                }
            });
        }
    }

    private static void ForwardChunk<V>(float* f, int rows, int inputs, float* wp, int rowsPerInput, float* y, int yStride, int n0, int n1)
        where V : unmanaged, ISimdVec<V>
    {
        const int T = SparseSplineKernels.Tile, G = SparseSplineKernels.Group;
        for (int t = 0; t < yStride / T; t++)
            for (int lane = 0; lane < T; lane += 4 * V.Count)
                for (int i0 = 0; i0 < inputs; i0 += InputBlock)
                {
                    int group = i0 / G;
                    ref float fg = ref *(f + (nint)group * rows * SparseSplineKernels.SampleStride);
                    ref float w = ref *(wp + ((nint)t * inputs + group * G) * rowsPerInput * T + lane);
                    SparseSplineKernels.ForwardTile4<V>(ref fg, i0 - group * G, Math.Min(i0 + InputBlock, inputs) - group * G, ref w, rowsPerInput,
                        ref *(y + (nint)t * T + lane), yStride, n0, n1);
                }
    }

    /// <summary>
    /// gwp (padded layout) = the weight gradient Σ_n (silu, window values) ⊗ g[n] of the compact features f and the upstream
    /// gradient g [rows, gStride = PaddedOutputs]; <paramref name="intervals"/> = G + 2k window starts.
    /// </summary>
    public static void WeightGrad(ReadOnlySpan<float> f, int rows, int inputs, int intervals, ReadOnlySpan<float> g, int gStride,
        Span<float> gwp, int rowsPerInput, SimdTier tier)
    {
        const int G = SparseSplineKernels.Group;
        fixed (float* pf = f, pg = g, pw = gwp)
        {
            float* cf = pf, cg = pg, cw = pw;
            Run((inputs + G - 1) / G, rows, inputs, (g0, g1) =>
            {
                var order = ArrayPool<int>.Shared.Rent(G * Math.Max(rows, 1));
                var start = ArrayPool<int>.Shared.Rent(G * (intervals + 1));
                var packed = ArrayPool<float>.Shared.Rent(G * Math.Max(rows, 1) * SparseSplineKernels.Packed);
                try
                {
                    for (int group = g0; group < g1; group++)
                    {
                        int lanes = Math.Min(G, inputs - group * G);
                        BucketGroup(cf + (nint)group * rows * SparseSplineKernels.SampleStride, rows, lanes, intervals, order, start, packed);
                        // Tiles outermost: one tile's slice of g (rows · 256 B) stays in L2 for all the group's inputs.
                        for (int t = 0; t < gStride / SparseSplineKernels.Tile; t++)
                            for (int j = 0; j < lanes; j++)
                            {
                                int i = group * G + j;
                                var ord = order.AsSpan(j * rows, rows);
                                var st = start.AsSpan(j * (intervals + 1), intervals + 1);
                                var pk = packed.AsSpan(j * rows * SparseSplineKernels.Packed);
                                switch (Simd.Resolve(tier))
                                {
                                    case SimdTier.Vec512: WeightGradTile<Vec512>(pk, inputs, i, t, ord, st, cg, gStride, cw, rowsPerInput); break;
                                    case SimdTier.Vec256: WeightGradTile<Vec256>(pk, inputs, i, t, ord, st, cg, gStride, cw, rowsPerInput); break;
                                    case SimdTier.Vec128: WeightGradTile<Vec128>(pk, inputs, i, t, ord, st, cg, gStride, cw, rowsPerInput); break;
                                    default: WeightGradTile<Scalar>(pk, inputs, i, t, ord, st, cg, gStride, cw, rowsPerInput); break;
                                }
                            }
                    }
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(order);
                    ArrayPool<int>.Shared.Return(start);
                    ArrayPool<float>.Shared.Return(packed);
                }
            });
        }
    }

    // For each input j of a group: a counting sort of the samples by window start (stable: ascending samples inside a
    // bucket; order[j·rows + p]), and the samples' (s, v_0 … v_3) in that order, contiguous (packed[(j·rows + p)·5 + b]), so
    // every output tile streams them. Samples are read once each, in order: their group block is 6 contiguous lines.
    private static void BucketGroup(float* f, int rows, int lanes, int intervals, int[] order, int[] start, float[] packed)
    {
        const int G = SparseSplineKernels.Group, P = SparseSplineKernels.Packed, S = SparseSplineKernels.SampleStride;
        int stride = intervals + 1;
        Array.Clear(start, 0, lanes * stride);
        for (int n = 0; n < rows; n++)
        {
            float* m = f + (nint)n * S + SparseSplineKernels.StartAt;
            for (int j = 0; j < lanes; j++) start[j * stride + SparseSplineKernels.StartOf(m[j]) + 1]++;
        }
        for (int j = 0; j < lanes; j++)
            for (int b = 0; b < intervals; b++) start[j * stride + b + 1] += start[j * stride + b];
        Span<int> next = stackalloc int[lanes * stride];
        start.AsSpan(0, lanes * stride).CopyTo(next);
        for (int n = 0; n < rows; n++)
        {
            float* src = f + (nint)n * S;
            for (int j = 0; j < lanes; j++)
            {
                int p = next[j * stride + SparseSplineKernels.StartOf(src[SparseSplineKernels.StartAt + j])]++;
                order[j * rows + p] = n;
                int q = (j * rows + p) * P;
                for (int b = 0; b < P; b++) packed[q + b] = src[b * G + j];
            }
        }
    }

    private static void WeightGradTile<V>(Span<float> packed, int inputs, int i, int t, ReadOnlySpan<int> order, ReadOnlySpan<int> start, float* g, int gStride,
        float* gwp, int rowsPerInput) where V : unmanaged, ISimdVec<V>
    {
        const int T = SparseSplineKernels.Tile;
        ref float rf = ref MemoryMarshal.GetReference(packed);
        float* rows = gwp + ((nint)t * inputs + i) * rowsPerInput * T;
        new Span<float>(rows, rowsPerInput * T).Clear();
        for (int lane = 0; lane < T; lane += 4 * V.Count)
            SparseSplineKernels.WeightGradTile4<V>(ref rf, order, start, ref *(g + (nint)t * T + lane), gStride, ref *(rows + lane));
    }

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
    private static void Run(int items, int rows, int inputs, Action<int, int> body)
    {
        int threads = Parallelism.MaxThreads;
        if (threads == 1 || (long)rows * inputs < ParallelThreshold || items < 2) { body(0, items); return; }
        int chunks = Math.Min(items, threads);
        Parallelism.For(chunks, ch => body((int)((long)items * ch / chunks), (int)((long)items * (ch + 1) / chunks)));
    }
}
