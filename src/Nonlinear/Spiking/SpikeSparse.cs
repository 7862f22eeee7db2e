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
/// O(spikes × outputs) instead of the dense GEMM's O(R × N × outputs); at the 5–20 % firing rates of a trained hidden
/// layer that is 5–20× fewer operations. Silent neurons contribute exactly 0 (a dense 0·w would give NaN for an
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
            var fired = new int[n];
            for (int r = k * RowsPerChunk, end = Math.Min(rows, r + RowsPerChunk); r < end; r++)
            {
                Array.Clear(acc);
                int count = Fired(spikes.AsSpan(r * n, n), fired);
                for (int f = 0; f < count; f++) AddRow(acc, wT.AsSpan(fired[f] * width, width));
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
            var fired = new int[NeuronsPerChunk];
            for (int r = 0; r < rows; r++)
            {
                int count = Fired(spikes.AsSpan(r * n + j0, len), fired);
                var g = gPad.AsSpan(r * width, width);
                for (int f = 0; f < count; f++) AddRow(gW.AsSpan((j0 + fired[f]) * width, width), g);
            }
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

    // acc += row, lane by lane (each lane is its own output: the vector width does not change the sums).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(Span<float> acc, ReadOnlySpan<float> row)
    {
        var a = MemoryMarshal.Cast<float, Vector<float>>(acc);
        var w = MemoryMarshal.Cast<float, Vector<float>>(row);
        for (int v = 0; v < a.Length; v++) a[v] += w[v];
    }

    /// <summary>Writes the indices of the nonzero entries of <paramref name="s"/> in ascending order; returns their count.</summary>
    internal static int Fired(ReadOnlySpan<float> s, int[] into)
    {
        int count = 0, j = 0;
        ref float s0 = ref MemoryMarshal.GetReference(s);
        // Eight entries per compare: the mask of the fired ones, then one step per set bit.
        for (; j + 8 <= s.Length; j += 8)
        {
            uint mask = Vector256.ExtractMostSignificantBits(~Vector256.Equals(Vector256.LoadUnsafe(ref s0, (nuint)j), Vector256<float>.Zero));
            while (mask != 0)
            {
                into[count++] = j + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
            }
        }
        for (; j < s.Length; j++) if (s[j] != 0f) into[count++] = j;
        return count;
    }
}
