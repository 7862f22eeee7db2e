using System.Buffers;
using System.Runtime.CompilerServices;
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

    /// <summary>Compact features (see <see cref="SparseSplineKernels"/>) of x [rows, inputs] into f [CompactLength].</summary>
    public static void Expand(BSplineKernel splines, ReadOnlySpan<float> x, int rows, int inputs, Span<float> f, SimdTier tier)
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
                        case SimdTier.Vec512: ExpandRow<Vec512>(splines, xr, cf, rows, r); break;
                        case SimdTier.Vec256: ExpandRow<Vec256>(splines, xr, cf, rows, r); break;
                        case SimdTier.Vec128: ExpandRow<Vec128>(splines, xr, cf, rows, r); break;
                        default: ExpandRow<Scalar>(splines, xr, cf, rows, r); break;
                    }
                }
            });
        }
    }

    // Lanes never straddle a group: V.Count divides the group width, and vectors start at multiples of V.Count.
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void ExpandRow<V>(BSplineKernel splines, ReadOnlySpan<float> x, float* f, int rows, int r) where V : unmanaged, ISimdVec<V>
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
            silu.Expand(i, xv, ref dst, G, ref ps);
            window.Expand(i, xv, ref Unsafe.Add(ref dst, G), G, ref ps);
        }
        for (; i < inputs; i++)
        {
            ref float dst = ref *(f + ((nint)(i / G) * rows + r) * SparseSplineKernels.SampleStride + i % G);
            var xv = Scalar.Create(x[i]);
            silu.Expand(i, xv, ref dst, G, ref ps);
            window.Expand(i, xv, ref Unsafe.Add(ref dst, G), G, ref ps);
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
        fixed (float* pf = f, pg = g, pw = gwp)
        {
            float* cf = pf, cg = pg, cw = pw;
            Run(inputs, rows, inputs, (i0, i1) =>
            {
                var order = ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
                var start = ArrayPool<int>.Shared.Rent(intervals + 1);
                var packed = ArrayPool<float>.Shared.Rent(Math.Max(rows, 1) * SparseSplineKernels.Packed);
                try
                {
                    for (int i = i0; i < i1; i++)
                    {
                        float* fg = cf + (nint)(i / SparseSplineKernels.Group) * rows * SparseSplineKernels.SampleStride;
                        int j = i % SparseSplineKernels.Group;
                        Bucket(fg, rows, j, intervals, order, start);
                        Pack(fg, rows, j, order, packed);
                        switch (Simd.Resolve(tier))
                        {
                            case SimdTier.Vec512: WeightGradInput<Vec512>(packed, inputs, i, order.AsSpan(0, rows), start.AsSpan(0, intervals + 1), cg, gStride, cw, rowsPerInput); break;
                            case SimdTier.Vec256: WeightGradInput<Vec256>(packed, inputs, i, order.AsSpan(0, rows), start.AsSpan(0, intervals + 1), cg, gStride, cw, rowsPerInput); break;
                            case SimdTier.Vec128: WeightGradInput<Vec128>(packed, inputs, i, order.AsSpan(0, rows), start.AsSpan(0, intervals + 1), cg, gStride, cw, rowsPerInput); break;
                            default: WeightGradInput<Scalar>(packed, inputs, i, order.AsSpan(0, rows), start.AsSpan(0, intervals + 1), cg, gStride, cw, rowsPerInput); break;
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

    // Counting sort of the samples by window start (stable: ascending sample order inside a bucket).
    private static void Bucket(float* f, int rows, int j, int intervals, int[] order, int[] start)
    {
        const int ld = SparseSplineKernels.SampleStride;
        float* m = f + SparseSplineKernels.StartAt + j;
        Array.Clear(start, 0, intervals + 1);
        for (int n = 0; n < rows; n++) start[SparseSplineKernels.StartOf(m[(nint)n * ld]) + 1]++;
        for (int b = 0; b < intervals; b++) start[b + 1] += start[b];
        Span<int> next = stackalloc int[intervals];
        start.AsSpan(0, intervals).CopyTo(next);
        for (int n = 0; n < rows; n++) order[next[SparseSplineKernels.StartOf(m[(nint)n * ld])]++] = n;
    }

    // One input's (s, v_0 … v_3) in bucket order, contiguous: every output tile then streams them instead of touching 5
    // cache lines per sample.
    private static void Pack(float* f, int rows, int j, int[] order, float[] packed)
    {
        const int P = SparseSplineKernels.Packed, G = SparseSplineKernels.Group;
        for (int p = 0; p < rows; p++)
        {
            float* src = f + (nint)order[p] * SparseSplineKernels.SampleStride + j;
            for (int b = 0; b < P; b++) packed[p * P + b] = src[b * G];
        }
    }

    private static void WeightGradInput<V>(float[] packed, int inputs, int i, ReadOnlySpan<int> order, ReadOnlySpan<int> start, float* g, int gStride,
        float* gwp, int rowsPerInput) where V : unmanaged, ISimdVec<V>
    {
        const int T = SparseSplineKernels.Tile;
        ref float rf = ref packed[0];
        for (int t = 0; t < gStride / T; t++)
        {
            float* rows = gwp + ((nint)t * inputs + i) * rowsPerInput * T;
            new Span<float>(rows, rowsPerInput * T).Clear();
            for (int lane = 0; lane < T; lane += 4 * V.Count)
                SparseSplineKernels.WeightGradTile4<V>(ref rf, order, start, ref *(g + (nint)t * T + lane), gStride, ref *(rows + lane));
        }
    }

    /// <summary>
    /// Converts between the dense weight layout w [outputs, denseColumns] (base column i, spline column offset + j·inputs + i)
    /// and the padded tile layout of <see cref="SparseSplineKernels"/> (base row 0, spline row 1 + k + j). Padding rows and
    /// padding lanes are not touched.
    /// </summary>
    public static void Transpose(Span<float> dense, int outputs, int denseColumns, int inputs, bool hasBase, int offset, int count, int order,
        Span<float> padded, int rowsPerInput, bool toPadded)
    {
        const int T = SparseSplineKernels.Tile;
        fixed (float* pd = dense, pp = padded)
        {
            float* cd = pd, cp = pp;
            Run((outputs + T - 1) / T, outputs, count * inputs, (t0, t1) =>
            {
                for (int t = t0; t < t1; t++)
                {
                    int o0 = t * T, lanes = Math.Min(T, outputs - o0);
                    for (int block = hasBase ? -1 : 0; block < count; block++)
                    {
                        int col = block < 0 ? 0 : offset + block * inputs, row = block < 0 ? 0 : 1 + order + block;
                        for (int i = 0; i < inputs; i++)
                        {
                            float* d = cd + (nint)o0 * denseColumns + col + i;
                            float* p = cp + (((nint)t * inputs + i) * rowsPerInput + row) * T;
                            if (toPadded) for (int l = 0; l < lanes; l++) p[l] = d[(nint)l * denseColumns];
                            else for (int l = 0; l < lanes; l++) d[(nint)l * denseColumns] = p[l];
                        }
                    }
                }
            });
        }
    }

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
