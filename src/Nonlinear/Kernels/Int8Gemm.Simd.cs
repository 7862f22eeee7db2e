using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

internal static partial class Int8Gemm
{
    // Rows of C per register tile: 4 rows × 16 columns = 8 int32 accumulators, leaving registers for two B vectors,
    // the A broadcast, the ones and a product (13 of 16 ymm). The kernels store their tile straight to memory with no
    // call inside: a call after the loop (System V treats every ymm register as caller-saved) made the JIT spill six
    // accumulators to the stack on every iteration, which halved the kernel's speed.
    private const int TileRows = 4;

    // Panel outermost so its B slice stays in L1 while the block's rows stream past it.
    private static unsafe void Avx2Block(byte* a, int rows, Int8PackedWeights b, int p0, int p1, int* c)
    {
        var packed = PackRows(a, rows, b.K, out int kp);
        int* tile = stackalloc int[TileRows * Int8PackedWeights.Panel];
        try
        {
            fixed (int* pa = packed)
            fixed (short* pb = b.Pairs)
                for (int p = p0; p < p1; p++)
                {
                    short* panel = pb + (long)p * kp * 32;
                    int n0 = p * Int8PackedWeights.Panel, cols = Math.Min(Int8PackedWeights.Panel, b.N - n0);
                    bool full = cols == Int8PackedWeights.Panel;
                    int i = 0;
                    for (; i + TileRows <= rows; i += TileRows)
                    {
                        int* dst = c + (long)i * b.N + n0;
                        Avx2Rows4(pa + i * kp, kp, panel, full ? dst : tile, full ? b.N : Int8PackedWeights.Panel);
                        if (!full) CopyTile(tile, TileRows, cols, dst, b.N);
                    }
                    for (; i < rows; i++)
                    {
                        int* dst = c + (long)i * b.N + n0;
                        Avx2Row1(pa + i * kp, kp, panel, full ? dst : tile);
                        if (!full) CopyTile(tile, 1, cols, dst, b.N);
                    }
                }
        }
        finally { ArrayPool<int>.Shared.Return(packed); }
    }

    // 2 B loads, 4 broadcasts, 8 vpmaddwd (16 multiply-adds each) per pair of k.
    private static unsafe void Avx2Rows4(int* a, int kp, short* panel, int* c, int ldc)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        int* a1 = a + kp, a2 = a1 + kp, a3 = a2 + kp;
        for (int p = 0; p < kp; p++, panel += 32)
        {
            var b0 = Avx.LoadVector256(panel);
            var b1 = Avx.LoadVector256(panel + 16);
            var x = Vector256.Create(a[p]).AsInt16();
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(x, b0)); c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(x, b1));
            x = Vector256.Create(a1[p]).AsInt16();
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(x, b0)); c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(x, b1));
            x = Vector256.Create(a2[p]).AsInt16();
            c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(x, b0)); c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(x, b1));
            x = Vector256.Create(a3[p]).AsInt16();
            c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(x, b0)); c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(x, b1));
        }
        c00.Store(c); c01.Store(c + 8);
        c10.Store(c + ldc); c11.Store(c + ldc + 8);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + 8);
        c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + 8);
    }

    private static unsafe void Avx2Row1(int* a, int kp, short* panel, int* c)
    {
        Vector256<int> c0 = default, c1 = default;
        for (int p = 0; p < kp; p++, panel += 32)
        {
            var x = Vector256.Create(a[p]).AsInt16();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(panel)));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(panel + 16)));
        }
        c0.Store(c); c1.Store(c + 8);
    }

    // The 7-bit route and VNNI read B as quads ([panel][K/4][16][4] int8) and A as its own rows, four bytes per
    // broadcast; only a depth that is not a multiple of 4 needs A copied into zero-padded rows.
    private static unsafe void QuadBlock(bool vnni, byte* a, int rows, Int8PackedWeights b, int p0, int p1, int* c)
    {
        int k = b.K, kq = b.KQuads, lda = 4 * kq;
        byte[]? padded = null;
        if (lda != k)
        {
            padded = ArrayPool<byte>.Shared.Rent(rows * lda);
            for (int i = 0; i < rows; i++)
            {
                new ReadOnlySpan<byte>(a + (long)i * k, k).CopyTo(padded.AsSpan(i * lda, k));
                padded.AsSpan(i * lda + k, lda - k).Clear();
            }
        }
        int* tile = stackalloc int[TileRows * Int8PackedWeights.Panel];
        try
        {
            fixed (byte* pp = padded)
            fixed (sbyte* pb = b.Quads)
            {
                byte* src = padded is null ? a : pp;
                for (int p = p0; p < p1; p++)
                {
                    sbyte* panel = pb + (long)p * kq * 64;
                    int n0 = p * Int8PackedWeights.Panel, cols = Math.Min(Int8PackedWeights.Panel, b.N - n0);
                    bool full = cols == Int8PackedWeights.Panel;
                    int i = 0;
                    for (; i + TileRows <= rows; i += TileRows)
                    {
                        int* dst = c + (long)i * b.N + n0, t = full ? dst : tile;
                        int ldt = full ? b.N : Int8PackedWeights.Panel;
                        if (vnni) VnniRows4(src + (long)i * lda, lda, kq, panel, t, ldt);
                        else SevenBitRows4(src + (long)i * lda, lda, kq, panel, t, ldt);
                        if (!full) CopyTile(tile, TileRows, cols, dst, b.N);
                    }
                    for (; i < rows; i++)
                    {
                        int* dst = c + (long)i * b.N + n0;
                        if (vnni) VnniRow1(src + (long)i * lda, kq, panel, full ? dst : tile);
                        else SevenBitRow1(src + (long)i * lda, kq, panel, full ? dst : tile);
                        if (!full) CopyTile(tile, 1, cols, dst, b.N);
                    }
                }
            }
        }
        finally { if (padded is not null) ArrayPool<byte>.Shared.Return(padded); }
    }

    // vpmaddubsw: u8·s8 products summed in adjacent pairs into int16 — exact because A ≤ 127 keeps |pair| ≤ 2·127·128
    // = 32 512 ≤ 32 767 (checked by Multiply) — then vpmaddwd by ones adds the two pairs of each quad into int32.
    // 32 multiply-adds per vpmaddubsw; per quad of k: 2 B loads, 4 broadcasts, 8 vpmaddubsw, 8 vpmaddwd, 8 vpaddd.
    private static unsafe void SevenBitRows4(byte* a, int lda, int kq, sbyte* panel, int* c, int ldc)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        var ones = Vector256.Create((short)1);
        byte* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int q = 0; q < kq; q++, panel += 64)
        {
            var b0 = Avx.LoadVector256(panel);
            var b1 = Avx.LoadVector256(panel + 32);
            var x = Vector256.Create(Unsafe.ReadUnaligned<int>(a + 4 * q)).AsByte();
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, b0), ones));
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, b1), ones));
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a1 + 4 * q)).AsByte();
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, b0), ones));
            c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, b1), ones));
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a2 + 4 * q)).AsByte();
            c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, b0), ones));
            c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, b1), ones));
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a3 + 4 * q)).AsByte();
            c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, b0), ones));
            c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, b1), ones));
        }
        c00.Store(c); c01.Store(c + 8);
        c10.Store(c + ldc); c11.Store(c + ldc + 8);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + 8);
        c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + 8);
    }

    private static unsafe void SevenBitRow1(byte* a, int kq, sbyte* panel, int* c)
    {
        Vector256<int> c0 = default, c1 = default;
        var ones = Vector256.Create((short)1);
        for (int q = 0; q < kq; q++, panel += 64)
        {
            var x = Vector256.Create(Unsafe.ReadUnaligned<int>(a + 4 * q)).AsByte();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(panel)), ones));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x, Avx.LoadVector256(panel + 32)), ones));
        }
        c0.Store(c); c1.Store(c + 8);
    }

    // VNNI: vpdpbusd adds four u8·s8 products and the accumulator in 32 bits, so full-range bytes are exact.
    private static unsafe void VnniRows4(byte* a, int lda, int kq, sbyte* panel, int* c, int ldc)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        byte* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int q = 0; q < kq; q++, panel += 64)
        {
            var b0 = Avx.LoadVector256(panel);
            var b1 = Avx.LoadVector256(panel + 32);
            var x = Vector256.Create(Unsafe.ReadUnaligned<int>(a + 4 * q)).AsByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, x, b0); c01 = AvxVnni.MultiplyWideningAndAdd(c01, x, b1);
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a1 + 4 * q)).AsByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, x, b0); c11 = AvxVnni.MultiplyWideningAndAdd(c11, x, b1);
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a2 + 4 * q)).AsByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, x, b0); c21 = AvxVnni.MultiplyWideningAndAdd(c21, x, b1);
            x = Vector256.Create(Unsafe.ReadUnaligned<int>(a3 + 4 * q)).AsByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, x, b0); c31 = AvxVnni.MultiplyWideningAndAdd(c31, x, b1);
        }
        c00.Store(c); c01.Store(c + 8);
        c10.Store(c + ldc); c11.Store(c + ldc + 8);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + 8);
        c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + 8);
    }

    private static unsafe void VnniRow1(byte* a, int kq, sbyte* panel, int* c)
    {
        Vector256<int> c0 = default, c1 = default;
        for (int q = 0; q < kq; q++, panel += 64)
        {
            var x = Vector256.Create(Unsafe.ReadUnaligned<int>(a + 4 * q)).AsByte();
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, x, Avx.LoadVector256(panel));
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, x, Avx.LoadVector256(panel + 32));
        }
        c0.Store(c); c1.Store(c + 8);
    }

    // A partial panel's tile (computed into a 16-wide scratch tile) copied to the columns that exist.
    private static unsafe void CopyTile(int* tile, int rows, int cols, int* dst, int ldc)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) dst[(long)r * ldc + j] = tile[r * Int8PackedWeights.Panel + j];
    }

    /// <summary>Index of the first byte above 127 in <paramref name="a"/>, or −1 (the 7-bit route's precondition).</summary>
    internal static long FirstAbove127(ReadOnlySpan<byte> a)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 32 <= a.Length; i += 32)
                if (Vector256.Create(a.Slice(i, 32)).ExtractMostSignificantBits() != 0) break;
        for (; i < a.Length; i++) if (a[i] > 127) return i;
        return -1;
    }
}
