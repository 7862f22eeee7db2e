using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// One batch's B-spline windows for the sparse path, grouped by window start: for every chunk of
/// at most <see cref="ChunkRows"/> samples and every input, the samples sorted by m (stable), the bucket bounds, and each sample's
/// (silu(x), B_{m−3} … B_m) in that order, contiguous, and on request the derivative windows (silu′(x), B′_{m−3} … B′_m)
/// in the same order. The forward builds it once (with derivatives when a backward will need dx); the backward reuses it.
/// </summary>
/// <remarks>
/// The windows are computed by <see cref="BSplineWindowKernel"/> into a compact staging layout (inputs in groups of 16, 6
/// blocks of 16 floats per sample, see <see cref="SparseSplineKernels"/>) and then sorted by a counting sort that reads
/// each sample's group block once, in sample order. Chunks have a fixed size, so the order of every sum is the same on
/// any number of threads.
/// </remarks>
internal sealed unsafe class SparseSplineBuckets
{
    /// <summary>Most samples per chunk, the unit of work of the forward and the input gradient (a batch is cut into
    /// ⌈rows / 512⌉ equal chunks: the cut depends on the batch only, never on the thread count).</summary>
    public const int ChunkRows = 512;
    private int _chunkSize;

    private int[] _order = [], _start = [];
    private float[] _packed = [], _derivative = [], _staging = [];

    /// <summary>Samples in the batch.</summary>
    public int Rows { get; private set; }
    /// <summary>Inputs of the layer.</summary>
    public int Inputs { get; private set; }
    /// <summary>Window starts m = 0 … Intervals − 1 (G + 2k).</summary>
    public int Intervals { get; private set; }
    /// <summary>Chunks of samples.</summary>
    public int Chunks { get; private set; }

    /// <summary>First sample of chunk c.</summary>
    public int ChunkStart(int c) => c * _chunkSize;
    /// <summary>Samples in chunk c.</summary>
    public int ChunkLength(int c) => Math.Min(_chunkSize, Rows - c * _chunkSize);

    private int Offset(int c, int i) => ChunkStart(c) * Inputs + i * ChunkLength(c);

    /// <summary>The samples of chunk c sorted by input i's window start.</summary>
    public ReadOnlySpan<int> OrderOf(int c, int i) => _order.AsSpan(Offset(c, i), ChunkLength(c));
    /// <summary>Bucket bounds of chunk c and input i: bucket m spans [start[m], start[m+1]) of <see cref="OrderOf"/>.</summary>
    public ReadOnlySpan<int> StartOf(int c, int i) => _start.AsSpan((c * Inputs + i) * (Intervals + 1), Intervals + 1);
    /// <summary>The first of the (s, v_0 … v_3) records of chunk c and input i (derivatives: (s′, v′_0 … v′_3)).</summary>
    public ref float PackedAt(int c, int i, bool derivative = false) =>
        ref (derivative ? _derivative : _packed)[Offset(c, i) * SparseSplineKernels.Packed];

    /// <summary>True when the last <see cref="Build"/> also stored the derivative windows.</summary>
    public bool HasDerivatives { get; private set; }

    /// <summary>
    /// Computes the windows of x [rows, inputs] (and their derivatives, from the same recursion, when asked) and sorts
    /// every chunk's samples by window start, per input.
    /// </summary>
    public void Build(BSplineKernel splines, ReadOnlySpan<float> x, int rows, int inputs, SimdTier tier, bool derivatives)
    {
        HasDerivatives = derivatives;
        Rows = rows;
        Inputs = inputs;
        Intervals = splines.Intervals;
        Chunks = Math.Max(1, (rows + ChunkRows - 1) / ChunkRows);
        _chunkSize = Math.Max(1, (rows + Chunks - 1) / Chunks);
        Ensure(ref _order, rows * inputs);
        Ensure(ref _start, Chunks * inputs * (Intervals + 1));
        Ensure(ref _packed, rows * inputs * SparseSplineKernels.Packed);
        if (derivatives) Ensure(ref _derivative, rows * inputs * SparseSplineKernels.Packed);
        Ensure(ref _staging, CompactLength(rows, inputs));
        Expand(splines, x, rows, inputs, _staging, tier, derivatives);
        Sort();
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = GC.AllocateUninitializedArray<T>(length);
    }

    // Per (chunk, group of 16 inputs): a counting sort by window start, writing each sample's records to its sorted position.
    private void Sort()
    {
        const int G = SparseSplineKernels.Group;
        int groups = (Inputs + G - 1) / G;
        fixed (float* pf = _staging)
        {
            float* cf = pf;
            SparseSplineDriver.Run(Chunks * groups, Rows, Inputs, (j0, j1) =>
            {
                for (int job = j0; job < j1; job++) SortGroup(cf, job / groups, job % groups);
            });
        }
    }

    [SkipLocalsInit]
    private void SortGroup(float* staging, int c, int group)
    {
        const int G = SparseSplineKernels.Group, P = SparseSplineKernels.Packed, S = SparseSplineKernels.SampleStride;
        const int D = SparseSplineKernels.DerivativeBlock * G;
        int first = ChunkStart(c), count = ChunkLength(c), lanes = Math.Min(G, Inputs - group * G), stride = Intervals + 1;
        float* block = staging + ((nint)group * Rows + first) * S;
        Span<int> next = stackalloc int[lanes * stride];
        next.Clear();
        for (int n = 0; n < count; n++)
        {
            float* m = block + (nint)n * S + SparseSplineKernels.StartAt;
            for (int j = 0; j < lanes; j++) next[j * stride + SparseSplineKernels.StartOf(m[j]) + 1]++;
        }
        for (int j = 0; j < lanes; j++)
        {
            for (int b = 0; b < Intervals; b++) next[j * stride + b + 1] += next[j * stride + b];
            next.Slice(j * stride, stride).CopyTo(_start.AsSpan((c * Inputs + group * G + j) * stride, stride));
        }
        for (int n = 0; n < count; n++)
        {
            float* src = block + (nint)n * S;
            for (int j = 0; j < lanes; j++)
            {
                int at = Offset(c, group * G + j) + next[j * stride + SparseSplineKernels.StartOf(src[SparseSplineKernels.StartAt + j])]++;
                _order[at] = first + n;
                for (int b = 0; b < P; b++) _packed[at * P + b] = src[b * G + j];
                if (HasDerivatives)
                    for (int b = 0; b < P; b++) _derivative[at * P + b] = src[D + b * G + j];
            }
        }
    }

    /// <summary>Floats of the compact features of <paramref name="rows"/> samples (inputs rounded up to whole groups).</summary>
    private static int CompactLength(int rows, int inputs) =>
        (inputs + SparseSplineKernels.Group - 1) / SparseSplineKernels.Group * rows * SparseSplineKernels.SampleStride;

    /// <summary>
    /// Staged windows (see <see cref="SparseSplineKernels"/>) of x [rows, inputs] into f [CompactLength]; with
    /// <paramref name="derivative"/>, the derivative blocks too.
    /// </summary>
    private static void Expand(BSplineKernel splines, ReadOnlySpan<float> x, int rows, int inputs, Span<float> f, SimdTier tier, bool derivative = false)
    {
        fixed (float* px = x, pf = f)
        {
            float* cx = px, cf = pf;
            SparseSplineDriver.Run(rows, rows, inputs, (r0, r1) =>
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
        silu.Expand(i, x, ref dst, G, ref scratch);
        if (derivative) V.Store(SiluBase.Slope(x), ref Unsafe.Add(ref dst, SparseSplineKernels.DerivativeBlock * G));
        window.Expand(i, x, ref Unsafe.Add(ref dst, G), G, ref scratch, derivative);
    }

}
