using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

internal static partial class Int8Gemm
{
    // 8-bit activations through vpmaddubsw, exactly (the "sign trick"). Shift each code to a' = a − 128 ∈ [−128, 127]
    // and multiply |a'| (an unsigned byte: |−128| = 128 still fits) by w·sign(a') (vpsignb; w ∈ [−127, 127], so the
    // negation cannot overflow): the product is a'·w and a pair sums to at most 2·128·127 = 32 512 in magnitude, inside
    // int16, so vpmaddubsw never saturates. Σₖ a·w = Σₖ a'·w + 128·Σₖ w, the second term added at the store
    // (Int8PackedWeights.Shifted128). Against the vpmaddwd route it issues the same number of multiplies per product
    // (vpmaddubsw + vpmaddwd by ones per 32, against two vpmaddwd of 16) plus a vpsignb on another port, and reads the
    // int8 quads — half the bytes of the int16 pairs — so a layer's weights stay in L2 and a batch-1 pass, which only
    // streams weights, reads half as much.
    private static unsafe void SignBlock(byte* a, int rows, Int8PackedWeights b, int p0, int p1, int* c)
    {
        int k = b.K, kq = b.KQuads, lda = 4 * kq;
        // Per row: |a'| and a' as bytes, zero padded to whole quads (padded weights are 0, so the padding adds nothing).
        var mag = ArrayPool<byte>.Shared.Rent(rows * lda);
        var sgn = ArrayPool<byte>.Shared.Rent(rows * lda);
        int* tile = stackalloc int[TileRows * Int8PackedWeights.Panel];
        try
        {
            fixed (byte* pm = mag)
            fixed (byte* ps = sgn)
            fixed (sbyte* pb = b.Quads)
            fixed (int* shift = b.Shifted128)
            {
                for (int i = 0; i < rows; i++) SplitRow(a + (long)i * k, k, lda, pm + (long)i * lda, ps + (long)i * lda);
                for (int p = p0; p < p1; p++)
                {
                    sbyte* panel = pb + (long)p * kq * 64;
                    int n0 = p * Int8PackedWeights.Panel, cols = Math.Min(Int8PackedWeights.Panel, b.N - n0);
                    bool full = cols == Int8PackedWeights.Panel;
                    int i = 0;
                    for (; i + TileRows <= rows; i += TileRows)
                    {
                        int* dst = c + (long)i * b.N + n0, t = full ? dst : tile;
                        SignRows4(pm + (long)i * lda, ps + (long)i * lda, lda, kq, panel, shift + n0, t, full ? b.N : Int8PackedWeights.Panel);
                        if (!full) CopyTile(tile, TileRows, cols, dst, b.N);
                    }
                    for (; i < rows; i++)
                    {
                        int* dst = c + (long)i * b.N + n0;
                        SignRow1(pm + (long)i * lda, ps + (long)i * lda, kq, panel, shift + n0, full ? dst : tile);
                        if (!full) CopyTile(tile, 1, cols, dst, b.N);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(mag);
            ArrayPool<byte>.Shared.Return(sgn);
        }
    }

    // a' = a XOR 0x80 (= a − 128 as a signed byte) and |a'| (vpabsb: −128 gives 0x80, which is 128 read unsigned).
    private static unsafe void SplitRow(byte* a, int k, int lda, byte* mag, byte* sgn)
    {
        int t = 0;
        var flip = Vector256.Create((byte)0x80);
        for (; t + 32 <= k; t += 32)
        {
            var s = Avx2.Xor(Avx.LoadVector256(a + t), flip).AsSByte();
            s.AsByte().Store(sgn + t);
            Avx2.Abs(s).Store(mag + t);
        }
        for (; t < k; t++)
        {
            sbyte s = (sbyte)(a[t] ^ 0x80);
            sgn[t] = (byte)s;
            mag[t] = (byte)Math.Abs((int)s);
        }
        for (; t < lda; t++) mag[t] = sgn[t] = 0;
    }

    // Per quad of k: 2 B loads, 8 broadcasts, 8 vpsignb, 8 vpmaddubsw, 8 vpmaddwd, 8 vpaddd; 15 of 16 ymm registers.
    private static unsafe void SignRows4(byte* m, byte* s, int lda, int kq, sbyte* panel, int* shift, int* c, int ldc)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        var ones = Vector256.Create((short)1);
        byte* m1 = m + lda, m2 = m1 + lda, m3 = m2 + lda, s1 = s + lda, s2 = s1 + lda, s3 = s2 + lda;
        for (int q = 0; q < kq; q++, panel += 64)
        {
            var b0 = Avx.LoadVector256(panel);
            var b1 = Avx.LoadVector256(panel + 32);
            var xm = Bytes(m + 4 * q); var xs = Bytes(s + 4 * q).AsSByte();
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(b0, xs)), ones));
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(b1, xs)), ones));
            xm = Bytes(m1 + 4 * q); xs = Bytes(s1 + 4 * q).AsSByte();
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(b0, xs)), ones));
            c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(b1, xs)), ones));
            xm = Bytes(m2 + 4 * q); xs = Bytes(s2 + 4 * q).AsSByte();
            c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(b0, xs)), ones));
            c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(b1, xs)), ones));
            xm = Bytes(m3 + 4 * q); xs = Bytes(s3 + 4 * q).AsSByte();
            c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(b0, xs)), ones));
            c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(b1, xs)), ones));
        }
        var h0 = Avx.LoadVector256(shift);
        var h1 = Avx.LoadVector256(shift + 8);
        Avx2.Add(c00, h0).Store(c); Avx2.Add(c01, h1).Store(c + 8);
        Avx2.Add(c10, h0).Store(c + ldc); Avx2.Add(c11, h1).Store(c + ldc + 8);
        Avx2.Add(c20, h0).Store(c + 2 * ldc); Avx2.Add(c21, h1).Store(c + 2 * ldc + 8);
        Avx2.Add(c30, h0).Store(c + 3 * ldc); Avx2.Add(c31, h1).Store(c + 3 * ldc + 8);
    }

    private static unsafe void SignRow1(byte* m, byte* s, int kq, sbyte* panel, int* shift, int* c)
    {
        Vector256<int> c0 = default, c1 = default;
        var ones = Vector256.Create((short)1);
        for (int q = 0; q < kq; q++, panel += 64)
        {
            var xm = Bytes(m + 4 * q); var xs = Bytes(s + 4 * q).AsSByte();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(Avx.LoadVector256(panel), xs)), ones));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(xm, Avx2.Sign(Avx.LoadVector256(panel + 32), xs)), ones));
        }
        Avx2.Add(c0, Avx.LoadVector256(shift)).Store(c);
        Avx2.Add(c1, Avx.LoadVector256(shift + 8)).Store(c + 8);
    }

    // Four bytes broadcast to every quad of a vector.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<byte> Bytes(byte* p) => Vector256.Create(Unsafe.ReadUnaligned<int>(p)).AsByte();
}
