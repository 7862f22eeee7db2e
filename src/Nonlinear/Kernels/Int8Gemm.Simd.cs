using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

internal static partial class Int8Gemm
{
    // Panel outermost so its B slice stays in L1 while the block's rows stream past it; four rows per step share each
    // B load (2 loads, 4 broadcasts, 8 vpmaddwd per pair of k).
    private static unsafe void Avx2Block(byte* a, int rows, Int8PackedWeights b, int p0, int p1, int* c)
    {
        var packed = PackRows(a, rows, b.K, 2, out int kp);
        try
        {
            fixed (int* pa = packed)
            fixed (short* pb = b.Pairs)
                for (int p = p0; p < p1; p++)
                {
                    short* panel = pb + (long)p * kp * 32;
                    int n0 = p * Int8PackedWeights.Panel, cols = Math.Min(Int8PackedWeights.Panel, b.N - n0);
                    int i = 0;
                    for (; i + 4 <= rows; i += 4) Avx2Rows4(pa + i * kp, kp, panel, c + (long)i * b.N + n0, b.N, cols);
                    for (; i < rows; i++) Avx2Row1(pa + i * kp, kp, panel, c + (long)i * b.N + n0, cols);
                }
        }
        finally { ArrayPool<int>.Shared.Return(packed); }
    }

    private static unsafe void Avx2Rows4(int* a, int kp, short* panel, int* c, int ldc, int cols)
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default,
            c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kp; p++)
        {
            var b0 = Avx.LoadVector256(panel + p * 32);
            var b1 = Avx.LoadVector256(panel + p * 32 + 16);
            var a0 = Vector256.Create(a[p]).AsInt16();
            var a1 = Vector256.Create(a[kp + p]).AsInt16();
            var a2 = Vector256.Create(a[2 * kp + p]).AsInt16();
            var a3 = Vector256.Create(a[3 * kp + p]).AsInt16();
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(a0, b0)); c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(a0, b1));
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(a1, b0)); c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(a1, b1));
            c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(a2, b0)); c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(a2, b1));
            c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(a3, b0)); c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(a3, b1));
        }
        StoreTile(c, cols, c00, c01);
        StoreTile(c + ldc, cols, c10, c11);
        StoreTile(c + 2 * ldc, cols, c20, c21);
        StoreTile(c + 3 * ldc, cols, c30, c31);
    }

    private static unsafe void Avx2Row1(int* a, int kp, short* panel, int* c, int cols)
    {
        Vector256<int> c0 = default, c1 = default;
        for (int p = 0; p < kp; p++)
        {
            var a0 = Vector256.Create(a[p]).AsInt16();
            c0 = Avx2.Add(c0, Avx2.MultiplyAddAdjacent(a0, Avx.LoadVector256(panel + p * 32)));
            c1 = Avx2.Add(c1, Avx2.MultiplyAddAdjacent(a0, Avx.LoadVector256(panel + p * 32 + 16)));
        }
        StoreTile(c, cols, c0, c1);
    }

    // VNNI: each int32 lane takes four u8·s8 products per instruction; quads of A broadcast against 16 columns × 4 bytes.
    private static unsafe void VnniBlock(byte* a, int rows, Int8PackedWeights b, int p0, int p1, int* c)
    {
        var packed = PackRows(a, rows, b.K, 4, out int kq);
        try
        {
            fixed (int* pa = packed)
            fixed (sbyte* pb = b.Quads)
                for (int p = p0; p < p1; p++)
                {
                    sbyte* panel = pb + (long)p * kq * 64;
                    int n0 = p * Int8PackedWeights.Panel, cols = Math.Min(Int8PackedWeights.Panel, b.N - n0);
                    for (int i = 0; i < rows; i++)
                    {
                        int* ar = pa + i * kq;
                        int* cr = c + (long)i * b.N + n0;
                        Vnni256Row(ar, kq, panel, cr, cols);
                    }
                }
        }
        finally { ArrayPool<int>.Shared.Return(packed); }
    }

    private static unsafe void Vnni256Row(int* a, int kq, sbyte* panel, int* c, int cols)
    {
        Vector256<int> c0 = default, c1 = default;
        for (int q = 0; q < kq; q++)
        {
            var a0 = Vector256.Create(a[q]).AsByte();
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, a0, Avx.LoadVector256(panel + q * 64));
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, a0, Avx.LoadVector256(panel + q * 64 + 32));
        }
        StoreTile(c, cols, c0, c1);
    }
}
