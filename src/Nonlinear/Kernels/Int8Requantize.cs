using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

/// <summary>
/// The float ↔ uint8 edges of the int8 pipeline, with the same bits on every tier: quantize (ONNX QuantizeLinear),
/// requantize an int32 accumulator to uint8 with per-channel multipliers, and dequantize it to float with per-channel
/// scale and bias. Every path evaluates the same IEEE float operations in the same order (int→float conversion,
/// one multiply, a separate add — never a fused multiply-add), rounds half to even (MathF.Round and cvtps2dq agree), and
/// clamps before rounding against integer bounds, so clamping first or last gives the same code.
/// NaN saturates to code 255 on every path (minps/maxps return their second operand on NaN; the scalar compares mirror that).
/// </summary>
internal static class Int8Requantize
{
    /// <summary>q = clamp(round(x / scale) + zeroPoint, 0, maxCode) (maxCode 255, or 127 for 7-bit codes).</summary>
    public static void Quantize(SimdTier tier, ReadOnlySpan<float> x, float scale, int zeroPoint, Span<byte> q, int maxCode = 255)
    {
        if (q.Length < x.Length) throw new ArgumentException($"output holds {q.Length} codes; expected {x.Length}.", nameof(q));
        CheckCodes(zeroPoint, maxCode);
        float lo = -zeroPoint, hi = maxCode - zeroPoint;
        int i = 0;
        if (UseAvx2(tier))
        {
            var vs = Vector256.Create(scale); var vlo = Vector256.Create(lo); var vhi = Vector256.Create(hi);
            var vz = Vector256.Create(zeroPoint);
            for (; i + 8 <= x.Length; i += 8)
            {
                var v = Avx.Divide(Vector256.Create(x.Slice(i, 8)), vs);
                Store8(Avx2.Add(Avx.ConvertToVector256Int32(Avx.Max(Avx.Min(v, vhi), vlo)), vz), q.Slice(i, 8));
            }
        }
        for (; i < x.Length; i++) q[i] = Finish(x[i] / scale, lo, hi, zeroPoint);
    }

    /// <summary>
    /// q[r, j] = clamp(round(float(acc[r, j] + offset[j]) · multiplier[j]) + zeroPoint, 0, maxCode) over <paramref name="rows"/>
    /// rows of <paramref name="cols"/> columns. The int addition wraps (unchecked) on every path alike.
    /// </summary>
    public static void ToUInt8(SimdTier tier, ReadOnlySpan<int> acc, int rows, int cols, ReadOnlySpan<int> offset,
        ReadOnlySpan<float> multiplier, int zeroPoint, Span<byte> q, int maxCode = 255)
    {
        Check(acc.Length, q.Length, rows, cols, offset.Length, multiplier.Length);
        CheckCodes(zeroPoint, maxCode);
        float lo = -zeroPoint, hi = maxCode - zeroPoint;
        bool avx = UseAvx2(tier);
        for (int r = 0; r < rows; r++)
        {
            var a = acc.Slice(r * cols, cols);
            var o = q.Slice(r * cols, cols);
            int j = 0;
            if (avx)
            {
                var vlo = Vector256.Create(lo); var vhi = Vector256.Create(hi); var vz = Vector256.Create(zeroPoint);
                for (; j + 8 <= cols; j += 8)
                {
                    var s = Avx2.Add(Vector256.Create(a.Slice(j, 8)), Vector256.Create(offset.Slice(j, 8)));
                    var v = Avx.Multiply(Avx.ConvertToVector256Single(s), Vector256.Create(multiplier.Slice(j, 8)));
                    Store8(Avx2.Add(Avx.ConvertToVector256Int32(Avx.Max(Avx.Min(v, vhi), vlo)), vz), o.Slice(j, 8));
                }
            }
            for (; j < cols; j++) o[j] = Finish(unchecked((float)(a[j] + offset[j])) * multiplier[j], lo, hi, zeroPoint);
        }
    }

    /// <summary>y[r, j] = float(acc[r, j] + offset[j]) · scale[j] + bias[j] (multiply, then add: no fused multiply-add).</summary>
    public static void ToFloat(SimdTier tier, ReadOnlySpan<int> acc, int rows, int cols, ReadOnlySpan<int> offset,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> bias, Span<float> y)
    {
        Check(acc.Length, y.Length, rows, cols, offset.Length, scale.Length);
        if (bias.Length != cols) throw new ArgumentException($"bias has {bias.Length} values; expected {cols}.", nameof(bias));
        bool avx = UseAvx2(tier);
        for (int r = 0; r < rows; r++)
        {
            var a = acc.Slice(r * cols, cols);
            var o = y.Slice(r * cols, cols);
            int j = 0;
            if (avx)
                for (; j + 8 <= cols; j += 8)
                {
                    var s = Avx2.Add(Vector256.Create(a.Slice(j, 8)), Vector256.Create(offset.Slice(j, 8)));
                    var v = Avx.Multiply(Avx.ConvertToVector256Single(s), Vector256.Create(scale.Slice(j, 8)));
                    Avx.Add(v, Vector256.Create(bias.Slice(j, 8))).CopyTo(o.Slice(j, 8));
                }
            for (; j < cols; j++)
            {
                float v = unchecked((float)(a[j] + offset[j])) * scale[j];
                o[j] = v + bias[j];
            }
        }
    }

    /// <summary>y[i] = table[c·256 + x[i]] with c = i mod channels: an activation on codes (one 256-entry table per channel).</summary>
    public static void Lookup(ReadOnlySpan<byte> x, ReadOnlySpan<byte> tables, int channels, Span<byte> y)
    {
        if (channels < 1 || tables.Length != channels * 256 || y.Length < x.Length || x.Length % channels != 0)
            throw new ArgumentException($"lookup: {channels} channel(s) need {channels}·256 table entries (have {tables.Length}) and a length divisible by {channels} (have {x.Length}).");
        // Pointers: the span form paid three bounds checks per byte, about a third of the lookup's time.
        unsafe
        {
            fixed (byte* px = x)
            fixed (byte* pt = tables)
            fixed (byte* py = y)
            {
                int n = x.Length;
                if (channels == 1)
                {
                    int i = 0;
                    for (; i + 4 <= n; i += 4)
                    {
                        py[i] = pt[px[i]]; py[i + 1] = pt[px[i + 1]];
                        py[i + 2] = pt[px[i + 2]]; py[i + 3] = pt[px[i + 3]];
                    }
                    for (; i < n; i++) py[i] = pt[px[i]];
                    return;
                }
                for (int i = 0; i < n; i += channels)
                    for (int c = 0; c < channels; c++) py[i + c] = pt[(c << 8) + px[i + c]];
            }
        }
    }

    private static bool UseAvx2(SimdTier tier) =>
        Avx2.IsSupported && Simd.Resolve(tier) is SimdTier.Vec256 or SimdTier.Vec512;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Finish(float v, float lo, float hi, int zeroPoint)
    {
        // minps(v, hi) then maxps(·, lo): a NaN v yields hi, as the vector path does.
        v = v < hi ? v : hi;
        v = v > lo ? v : lo;
        return (byte)((int)MathF.Round(v) + zeroPoint);
    }

    private static void Store8(Vector256<int> v, Span<byte> dst)
    {
        // Values are already in [0, 255]: the saturating packs only narrow.
        var w = Avx2.PackSignedSaturate(v, v);                        // int16: lanes 0-3,0-3 | 4-7,4-7
        var b = Avx2.PackUnsignedSaturate(w, w);                      // uint8
        uint lo4 = b.AsUInt32().GetElement(0), hi4 = b.AsUInt32().GetElement(4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(dst, lo4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(dst[4..], hi4);
    }

    private static void CheckCodes(int zeroPoint, int maxCode)
    {
        if (maxCode < 1 || maxCode > 255 || zeroPoint < 0 || zeroPoint > maxCode)
            throw new ArgumentException($"codes must be 0..maxCode with maxCode in [1, 255] and the zero point in [0, maxCode]; got maxCode {maxCode}, zero point {zeroPoint}.");
    }

    private static void Check(int accLength, int outLength, int rows, int cols, int offsets, int multipliers)
    {
        if (rows < 0 || cols < 1 || accLength < (long)rows * cols || outLength < (long)rows * cols || offsets != cols || multipliers != cols)
            throw new ArgumentException($"requantize: [{rows}, {cols}] needs {rows}·{cols} accumulators (have {accLength}) and outputs (have {outLength}), and {cols} offsets and multipliers (have {offsets}, {multipliers}).");
    }
}
