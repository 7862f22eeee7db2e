using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>Which instruction sequence the int8 GEMM runs with.</summary>
internal enum Int8GemmPath
{
    /// <summary>Plain int32 multiply-adds.</summary>
    Scalar,
    /// <summary>vpmaddwd on u8 activations zero-extended and s8 weights sign-extended to int16 pairs.</summary>
    Avx2,
    /// <summary>vpdpbusd on 256-bit registers (AVX-VNNI).</summary>
    AvxVnni,
    /// <summary>
    /// vpmaddubsw on 7-bit activations (codes 0..127, "reduce_range") and int8 weights, then vpmaddwd by ones: the
    /// u8·s8 route, exact only because the activations are cut to 7 bits; refuses a code above 127.
    /// </summary>
    Avx2SevenBit,
    /// <summary>
    /// vpmaddubsw on 8-bit activations shifted to a − 128, multiplied as |a − 128| by the weight with the shifted code's
    /// sign (vpsignb), then vpmaddwd by ones: exact for any byte (pairs stay within ±32 512), reads the int8 quads.
    /// </summary>
    Avx2Sign,
}

/// <summary>
/// C[M, N] (int32) = A[M, K] (uint8 activations) · Bᵀ with B [N, K] (int8 weights), exactly: every path equals the
/// int64 sum for any byte values, because K ≤ <see cref="Int8PackedWeights.MaxDepth"/> keeps the int32 sum in range.
/// <para>
/// Saturation. The classic AVX2 u8·s8 route, vpmaddubsw, adds two u8·s8 products into a saturating int16: 255·127 +
/// 255·127 = 64 770 &gt; 32 767, so full-range bytes give wrong sums unless weights or activations are cut to 7 bits
/// (FBGEMM's "reduce_range") — which costs accuracy. We widen instead: the activation pair is zero-extended and the
/// weight pair sign-extended to int16 (weights once, at packing), and vpmaddwd adds the two 16×16-bit products into an
/// int32 lane, where 2·255·128 = 65 280 cannot saturate. vpmaddwd retires 16 multiply-adds per instruction with two
/// ports on Zen and Skylake, twice what 8-lane FMA gives float, so exactness costs nothing against the float path.
/// AVX-VNNI's vpdpbusd adds four u8·s8 products and the accumulator in 32 bits without an int16 intermediate, so it is
/// exact as it stands (and its non-saturating form is the one used).
/// </para>
/// <para>
/// 7-bit activations. A model quantized with reduce_range (PyTorch's and FBGEMM's name: activation codes 0..127, see
/// <c>PtqOptions.ReduceRange</c>) can take vpmaddubsw directly: |a₀w₀ + a₁w₁| ≤ 2·127·128 = 32 512 fits int16, so the
/// pair sums are exact, and vpmaddwd by ones then adds pairs into int32 (<see cref="Int8GemmPath.Avx2SevenBit"/>).
/// It reads B as int8 quads (half the bytes of the int16 pairs) and A without repacking. That path checks its
/// contract — every A byte ≤ 127 — and throws on a byte outside it rather than return a saturated sum.
/// </para>
/// Zero points are not handled here: the caller adds −z_a·Σₖ B[n, k] (see <see cref="Int8PackedWeights.RowSums"/>).
/// </summary>
internal static partial class Int8Gemm
{
    // Rows of A per chunk: the 16-column B panel (K·64 bytes for K = 784: 50 KB of int16 pairs) is reused across them.
    private const int RowBlock = 64;

    /// <summary>The fastest path this CPU runs.</summary>
    public static Int8GemmPath Best { get; } =
        AvxVnni.IsSupported ? Int8GemmPath.AvxVnni :
        Avx2.IsSupported ? Int8GemmPath.Avx2 : Int8GemmPath.Scalar;

    /// <summary>Whether this CPU can run <paramref name="path"/>.</summary>
    public static bool IsSupported(Int8GemmPath path) => path switch
    {
        Int8GemmPath.Scalar => true,
        Int8GemmPath.Avx2 or Int8GemmPath.Avx2SevenBit or Int8GemmPath.Avx2Sign => Avx2.IsSupported,
        Int8GemmPath.AvxVnni => AvxVnni.IsSupported,
        _ => false,
    };

    /// <summary>
    /// The path for a <see cref="SimdTier"/>: Scalar and Vec128 run the scalar loop (there is no 128-bit int8 path);
    /// Vec256 and Vec512 the best 256-bit one (AVX-VNNI, else AVX2). .NET 10 exposes no 512-bit u8·s8 vpdpbusd (there is
    /// no Avx512Vnni class; AvxVnniInt8.V512 is AVX10.2's s8·u8 form), so AVX-512 machines run 256-bit VNNI.
    /// </summary>
    /// <param name="tier">The SIMD tier asked for.</param>
    /// <param name="sevenBit">Whether every activation code is ≤ 127 (a reduce_range model): AVX2 then takes the vpmaddubsw route.
    /// Otherwise AVX2 takes the sign route, which needs symmetric weights (no −128), as every quantized layer has:
    /// as fast as vpmaddwd on a batch and about 1.7× on a single row, whose time is reading the weights
    /// (int8-parts, loaded machine).</param>
    public static Int8GemmPath PathFor(SimdTier tier, bool sevenBit = false)
    {
        var t = Simd.Resolve(tier);
        var p256 = AvxVnni.IsSupported ? Int8GemmPath.AvxVnni
            : Avx2.IsSupported ? (sevenBit ? Int8GemmPath.Avx2SevenBit : Int8GemmPath.Avx2Sign) : Int8GemmPath.Scalar;
        return t is SimdTier.Vec256 or SimdTier.Vec512 ? p256 : Int8GemmPath.Scalar;
    }

    /// <summary>
    /// Multiply-adds (M·N·K) below which a multiplication stays on one thread: handing half of it to a worker costs a
    /// few microseconds, more when the worker has gone to sleep, which is what a few hundred thousand int8
    /// multiply-adds take on one core. A batch-1 pass of the Fashion-MNIST MLP (784·256 = 200 704 for its widest
    /// layer) stays on one thread; a batch-1 1024·1024 layer splits its columns. Settable for the benchmarks' A/B runs.
    /// </summary>
    internal static long SplitMacs = 1L << 20;

    /// <summary>C = A·Bᵀ over <paramref name="m"/> rows of A [m, K], with C [m, N] row-major, on up to <see cref="Parallelism.MaxThreads"/> threads.</summary>
    public static void Multiply(Int8GemmPath path, ReadOnlySpan<byte> a, int m, Int8PackedWeights b, Span<int> c) =>
        Multiply(path, a, m, b, c, Parallelism.MaxThreads);

    /// <summary>
    /// <see cref="Multiply(Int8GemmPath, ReadOnlySpan{byte}, int, Int8PackedWeights, Span{int})"/> on up to
    /// <paramref name="threads"/> threads; 1 runs on the calling thread in whole row blocks (for a caller that already
    /// splits its rows across threads). The thread count never changes a bit of C: every element is an exact integer sum.
    /// </summary>
    public static void Multiply(Int8GemmPath path, ReadOnlySpan<byte> a, int m, Int8PackedWeights b, Span<int> c, int threads)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (m < 0 || a.Length < (long)m * b.K || c.Length < (long)m * b.N)
            throw new ArgumentException($"int8 GEMM: A needs {m}·{b.K} values (has {a.Length}) and C {m}·{b.N} (has {c.Length}).");
        if (!IsSupported(path)) throw new PlatformNotSupportedException($"int8 GEMM path {path} is not supported by this CPU.");
        if (path is Int8GemmPath.AvxVnni or Int8GemmPath.Avx2SevenBit or Int8GemmPath.Avx2Sign && b.Quads is null)
            throw new ArgumentException($"weights were packed without the quad layout that path {path} reads.", nameof(b));
        if (path == Int8GemmPath.Avx2Sign && b.HasMinus128)
            throw new ArgumentException($"int8 GEMM path {path} takes weights in [−127, 127] (symmetric int8: it negates them); B holds −128.", nameof(b));
        if (m == 0) return;
        long bad = path == Int8GemmPath.Avx2SevenBit ? FirstAbove127(a[..(m * b.K)]) : -1;
        if (bad >= 0)
            throw new ArgumentException($"int8 GEMM path {path} takes 7-bit activation codes (0..127, reduce_range); A[{bad / b.K}, {bad % b.K}] = {a[(int)bad]}.", nameof(a));
        unsafe
        {
            fixed (byte* pa = a)
            fixed (int* pc = c)
            {
                var job = new Job(path, pa, m, b, pc, Math.Min(threads, Parallelism.MaxThreads));
                if (job.Chunks == 1 || job.Threads <= 1)
                    for (int chunk = 0; chunk < job.Chunks; chunk++) job.Run(chunk);
                else Parallelism.For(job.Chunks, job.Run);
            }
        }
    }

    /// <summary>The int64 reference: C[i, n] = Σₖ A[i, k]·B[n, k], for tests.</summary>
    internal static long[] Reference(ReadOnlySpan<byte> a, int m, ReadOnlySpan<sbyte> b, int n, int k)
    {
        var c = new long[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                long s = 0;
                for (int t = 0; t < k; t++) s += (long)a[i * k + t] * b[j * k + t];
                c[i * n + j] = s;
            }
        return c;
    }

    // One multiplication split into chunks: blocks of rows × groups of panels (a few rows split over columns too), on one
    // thread when it is too small to pay for the hand-off (SplitMacs).
    private sealed unsafe class Job
    {
        private readonly Int8GemmPath _path;
        private readonly byte* _a;
        private readonly int* _c;
        private readonly int _m, _rowBlocks, _panelGroups, _panelsPerGroup;
        private readonly Int8PackedWeights _b;

        public Job(Int8GemmPath path, byte* a, int m, Int8PackedWeights b, int* c, int threads)
        {
            _path = path; _a = a; _m = m; _b = b; _c = c;
            _rowBlocks = (m + RowBlock - 1) / RowBlock;
            if ((long)m * b.N * b.K < SplitMacs) threads = 1;
            Threads = threads;
            _panelGroups = threads <= 1 || _rowBlocks >= 2 * threads ? 1 : Math.Min(b.Panels, Math.Max(1, 2 * threads / _rowBlocks));
            _panelsPerGroup = (b.Panels + _panelGroups - 1) / _panelGroups;
            _panelGroups = (b.Panels + _panelsPerGroup - 1) / _panelsPerGroup;
        }

        public int Chunks => _rowBlocks * _panelGroups;
        public int Threads { get; }

        public void Run(int chunk)
        {
            int r0 = chunk / _panelGroups * RowBlock, rows = Math.Min(RowBlock, _m - r0);
            int p0 = chunk % _panelGroups * _panelsPerGroup, p1 = Math.Min(_b.Panels, p0 + _panelsPerGroup);
            byte* a = _a + (long)r0 * _b.K;
            int* c = _c + (long)r0 * _b.N;
            switch (_path)
            {
                case Int8GemmPath.Scalar: ScalarBlock(a, rows, _b, p0, p1, c); break;
                case Int8GemmPath.Avx2: Avx2Block(a, rows, _b, p0, p1, c); break;
                case Int8GemmPath.Avx2SevenBit: QuadBlock(vnni: false, a, rows, _b, p0, p1, c); break;
                case Int8GemmPath.Avx2Sign: SignBlock(a, rows, _b, p0, p1, c); break;
                default: QuadBlock(vnni: true, a, rows, _b, p0, p1, c); break;
            }
        }
    }

    private static unsafe void ScalarBlock(byte* a, int rows, Int8PackedWeights b, int p0, int p1, int* c)
    {
        int k = b.K, n0 = p0 * Int8PackedWeights.Panel, n1 = Math.Min(b.N, p1 * Int8PackedWeights.Panel);
        fixed (sbyte* pb = b.RowMajor)
            for (int i = 0; i < rows; i++)
                for (int n = n0; n < n1; n++)
                {
                    int s = 0;
                    byte* ar = a + (long)i * k;
                    sbyte* br = pb + (long)n * k;
                    for (int t = 0; t < k; t++) s += ar[t] * br[t];
                    c[(long)i * b.N + n] = s;
                }
    }

    // A's rows as int32 words of two zero-extended bytes (the vpmaddwd route's pairs), zero padded to whole words:
    // byte t of a row becomes int16 t, so the packing is vpmovzxbw, 16 bytes at a time.
    private static unsafe int[] PackRows(byte* a, int rows, int k, out int words)
    {
        words = (k + 1) / 2;
        var packed = ArrayPool<int>.Shared.Rent(rows * words);
        fixed (int* p = packed)
            for (int i = 0; i < rows; i++)
            {
                byte* ar = a + (long)i * k;
                ushort* dst = (ushort*)(p + (long)i * words);
                int t = 0;
                if (Avx2.IsSupported)
                    for (; t + 16 <= k; t += 16) Avx2.ConvertToVector256Int16(Sse2.LoadVector128(ar + t)).AsUInt16().Store(dst + t);
                for (; t < k; t++) dst[t] = ar[t];
                if ((k & 1) != 0) dst[k] = 0;
            }
        return packed;
    }
}
