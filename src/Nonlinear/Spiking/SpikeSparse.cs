using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Nonlinear.Kernels;

namespace Nonlinear.Spiking;

/// <summary>
/// Event-driven (sparse) products of a Linear layer with a spike train S [R, N] whose entries are exactly 0 or 1:
/// the forward Y = S·Wᵀ + b adds the weight columns of the neurons that fired, and the weight gradient
/// ∂L/∂W = Gᵀ·S adds, for each neuron, the output-gradient rows of the steps it fired at. Both cost
/// O(spikes × outputs) instead of the dense GEMM's O(R × N × outputs). Fewer operations is not less time: at the 31 %
/// firing of an untrained 784-1000-10 net (10 outputs) these loops cost more CPU than the GEMM, so
/// <see cref="LifLayer"/> uses them only when <see cref="LifLayer.EventDriven"/> is set. Silent neurons contribute exactly 0 (a dense 0·w would give NaN for an
/// infinite w; a net with infinite weights is already lost). Sums run in a fixed order — over j ascending for the
/// forward, over rows ascending for the gradients — whatever the thread count, and vector lanes hold different
/// outputs, so every SIMD width gives the same bits.
/// </summary>
internal static class SpikeSparse
{
    /// <summary>Rows of S per parallel chunk of the forward.</summary>
    private const int RowsPerChunk = 64;
    /// <summary>Neurons per parallel chunk of the weight gradient (a multiple of 8, the mask width).</summary>
    private const int NeuronsPerChunk = 64;

    /// <summary>
    /// Y[r, c] = (Σ_{j: S[r, j] = 1, ascending} W[c, j]) + bias[c], for S [rows, n] at <paramref name="spikes"/>,
    /// W [outputs, n] row-major, Y [rows, outputs].
    /// </summary>
    public static void Forward(float[] spikes, int rows, int n, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outputs, float[] y)
    {
        int width = Padded(outputs);
        // Wᵀ with each row padded to whole vectors (padding 0), so a fired neuron adds one contiguous row.
        var wT = new float[n * width];
        for (int c = 0; c < outputs; c++)
            for (int j = 0; j < n; j++) wT[j * width + c] = weight[c * n + j];
        var b = bias.IsEmpty ? null : bias.ToArray();
        int chunks = (rows + RowsPerChunk - 1) / RowsPerChunk;
        Parallelism.For(chunks, k =>
        {
            var acc = new float[width];
            for (int r = k * RowsPerChunk, end = Math.Min(rows, r + RowsPerChunk); r < end; r++)
            {
                SumFiredRows(spikes.AsSpan(r * n, n), wT, width, acc);
                var yr = y.AsSpan(r * outputs, outputs);
                for (int c = 0; c < outputs; c++) yr[c] = b is null ? acc[c] : acc[c] + b[c];
            }
        });
    }

    /// <summary>
    /// ∂L/∂W [outputs, n] = Σ_r G[r, c]·S[r, j] (rows ascending, spikes only) and ∂L/∂b [outputs] = Σ_r G[r, c]
    /// (rows ascending) for G [rows, outputs] at <paramref name="gradOut"/>+<paramref name="gradOffset"/>; the results
    /// are written (not added). Pass an empty <paramref name="gradBias"/> to skip the bias.
    /// </summary>
    public static void WeightGrad(float[] spikes, int rows, int n, float[] gradOut, int gradOffset, int outputs, Span<float> gradWeight, Span<float> gradBias)
    {
        int width = Padded(outputs);
        var gPad = new float[rows * width];
        for (int r = 0; r < rows; r++)
            gradOut.AsSpan(gradOffset + r * outputs, outputs).CopyTo(gPad.AsSpan(r * width));
        var gW = new float[n * width]; // ∂L/∂Wᵀ, padded rows
        int chunks = (n + NeuronsPerChunk - 1) / NeuronsPerChunk;
        Parallelism.For(chunks, k =>
        {
            int j0 = k * NeuronsPerChunk, len = Math.Min(n - j0, NeuronsPerChunk);
            ref float gw = ref gW[j0 * width];
            for (int r = 0; r < rows; r++)
                AddToFiredRows(spikes.AsSpan(r * n + j0, len), ref gPad[r * width], width, ref gw);
        });
        for (int c = 0; c < outputs; c++)
            for (int j = 0; j < n; j++) gradWeight[c * n + j] = gW[j * width + c];
        if (gradBias.IsEmpty) return;
        gradBias[..outputs].Clear();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < outputs; c++) gradBias[c] += gradOut[gradOffset + r * outputs + c];
    }

    /// <summary>outputs rounded up to whole <see cref="Vector{T}"/>s.</summary>
    private static int Padded(int outputs) => (outputs + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    // acc = Σ_{j fired, ascending} wT[j] (rows of width floats); lanes are outputs, so any vector width gives the same
    // sums. One or two vectors (up to 16 outputs on AVX2) stay in registers across the events.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimised from the first call: tier 0 runs vector code as calls
    private static void SumFiredRows(ReadOnlySpan<float> s, float[] wT, int width, float[] acc)
    {
        int lanes = Vector<float>.Count;
        ref float w0 = ref MemoryMarshal.GetArrayDataReference(wT);
        ref float s0 = ref MemoryMarshal.GetReference(s);
        Vector<float> a0 = default, a1 = default;
        bool inRegisters = width <= 2 * lanes;
        if (!inRegisters) Array.Clear(acc);
        for (int j = 0; j < s.Length; j += 8)
        {
            uint mask = Mask(ref s0, j, s.Length);
            while (mask != 0)
            {
                ref float row = ref Unsafe.Add(ref w0, (j + BitOperations.TrailingZeroCount(mask)) * width);
                mask &= mask - 1;
                if (inRegisters)
                {
                    a0 += Vector.LoadUnsafe(ref row);
                    if (width > lanes) a1 += Vector.LoadUnsafe(ref row, (nuint)lanes);
                }
                else AddRow(ref MemoryMarshal.GetArrayDataReference(acc), ref row, width);
            }
        }
        if (!inRegisters) return;
        a0.StoreUnsafe(ref acc[0]);
        if (width > lanes) a1.StoreUnsafe(ref acc[0], (nuint)lanes);
    }

    // into[j] += g (rows of width floats) for every fired j of s.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddToFiredRows(ReadOnlySpan<float> s, ref float g, int width, ref float into)
    {
        ref float s0 = ref MemoryMarshal.GetReference(s);
        for (int j = 0; j < s.Length; j += 8)
        {
            uint mask = Mask(ref s0, j, s.Length);
            while (mask != 0)
            {
                AddRow(ref Unsafe.Add(ref into, (j + BitOperations.TrailingZeroCount(mask)) * width), ref g, width);
                mask &= mask - 1;
            }
        }
    }

    // Bit i set where s[j + i] != 0, for the (up to) 8 entries from j.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mask(ref float s0, int j, int length)
    {
        if (j + 8 <= length)
            return Vector256.ExtractMostSignificantBits(~Vector256.Equals(Vector256.LoadUnsafe(ref s0, (nuint)j), Vector256<float>.Zero));
        uint mask = 0;
        for (int i = 0; j + i < length; i++) if (Unsafe.Add(ref s0, j + i) != 0f) mask |= 1u << i;
        return mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref float acc, ref float row, int width)
    {
        for (int v = 0; v < width; v += Vector<float>.Count)
            (Vector.LoadUnsafe(ref acc, (nuint)v) + Vector.LoadUnsafe(ref row, (nuint)v)).StoreUnsafe(ref acc, (nuint)v);
    }

    /// <summary>Writes the indices of the nonzero entries of <paramref name="s"/> in ascending order; returns their count.</summary>
    internal static int Fired(ReadOnlySpan<float> s, int[] into)
    {
        int count = 0;
        ref float s0 = ref MemoryMarshal.GetReference(s);
        for (int j = 0; j < s.Length; j += 8)
            for (uint mask = Mask(ref s0, j, s.Length); mask != 0; mask &= mask - 1)
                into[count++] = j + BitOperations.TrailingZeroCount(mask);
        return count;
    }
}
