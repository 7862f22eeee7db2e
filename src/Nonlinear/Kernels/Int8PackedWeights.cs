using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>
/// An int8 weight matrix B [N, K] (row n = output channel n, as torch.nn.Linear's weight) in the layouts the int8 GEMM
/// tiers read, packed once when a model is quantized: the row-major original (scalar tier), 16-column panels of int16
/// pairs (AVX2: vpmaddwd) and, where the CPU has AVX2, 16-column panels of int8 quads (vpdpbusd with VNNI, vpmaddubsw
/// for 7-bit activations). Also the row sums
/// Σₖ B[n, k], which the zero-point correction −z_a·Σₖ B[n, k] needs.
/// </summary>
internal sealed class Int8PackedWeights
{
    /// <summary>Columns of C per panel: two 8-lane int32 accumulators.</summary>
    internal const int Panel = 16;

    /// <summary>Largest depth accepted: 65 536 products of at most 255·128 = 32 640 sum to 2 139 095 040 &lt; 2³¹ − 1, so no int32 accumulator can wrap.</summary>
    internal const int MaxDepth = 65536;

    /// <summary>Output channels (rows of B).</summary>
    public int N { get; }
    /// <summary>Depth (columns of B).</summary>
    public int K { get; }
    /// <summary>B row-major [N, K].</summary>
    public sbyte[] RowMajor { get; }
    /// <summary>Σₖ B[n, k] per row.</summary>
    public int[] RowSums { get; }
    /// <summary>[⌈N/16⌉][⌈K/2⌉][16][2] int16: for pair p and column j, (B[j, 2p], B[j, 2p+1]); zero padded.</summary>
    public short[] Pairs { get; }
    /// <summary>[⌈N/16⌉][⌈K/4⌉][16][4] int8 for VNNI and the 7-bit AVX2 route, or null when the CPU has no AVX2.</summary>
    public sbyte[]? Quads { get; }
    /// <summary>Whether some weight is −128, which the sign route cannot negate (symmetric weights never are).</summary>
    public bool HasMinus128 { get; }
    /// <summary>128·Σₖ B[n, k] per column, zero padded to whole panels: what the sign route's shift a − 128 takes away.</summary>
    public int[] Shifted128 { get; }

    public int Panels => (N + Panel - 1) / Panel;
    public int KPairs => (K + 1) / 2;
    public int KQuads => (K + 3) / 4;

    /// <summary>Packs <paramref name="b"/> [n, k] row-major.</summary>
    public Int8PackedWeights(ReadOnlySpan<sbyte> b, int n, int k, bool packQuads = true)
    {
        if (n <= 0 || k <= 0 || k > MaxDepth)
            throw new ArgumentException($"int8 weights must be [N ≥ 1, 1 ≤ K ≤ {MaxDepth}]; got [{n}, {k}].");
        if (b.Length != (long)n * k) throw new ArgumentException($"weights have {b.Length} values; expected {n}·{k}.", nameof(b));
        N = n; K = k;
        RowMajor = b.ToArray();
        RowSums = new int[n];
        for (int r = 0; r < n; r++)
        {
            int s = 0;
            foreach (sbyte v in b.Slice(r * k, k)) s += v;
            RowSums[r] = s;
        }
        HasMinus128 = b.Contains(sbyte.MinValue);
        Shifted128 = new int[Panels * Panel];
        for (int r = 0; r < n; r++) Shifted128[r] = 128 * RowSums[r];
        Pairs = new short[Panels * KPairs * Panel * 2];
        for (int r = 0; r < n; r++)
        {
            int p = r / Panel, j = r % Panel;
            for (int c = 0; c < k; c++)
                Pairs[((p * KPairs + c / 2) * Panel + j) * 2 + (c & 1)] = b[r * k + c];
        }
        if (packQuads && (Avx2.IsSupported || AvxVnni.IsSupported))
        {
            Quads = new sbyte[Panels * KQuads * Panel * 4];
            for (int r = 0; r < n; r++)
            {
                int p = r / Panel, j = r % Panel;
                for (int c = 0; c < k; c++)
                    Quads[((p * KQuads + c / 4) * Panel + j) * 4 + (c & 3)] = b[r * k + c];
            }
        }
    }
}
