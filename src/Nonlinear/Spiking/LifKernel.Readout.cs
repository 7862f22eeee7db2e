using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Nonlinear.Kernels;

namespace Nonlinear.Spiking;

internal static partial class LifKernel
{
    /// <summary>
    /// A Linear with few outputs on the layer's spikes, run inside <see cref="Forward"/>: Y[r, c] = bias[c] + Σ_j S[r, j]·W[c, j]
    /// for every (step, sample) row r = t·B + b, right after the row is computed (it is still in L1). The GEMM of this
    /// shape ([T·B, N]·[N, C], C ≈ 10) runs far below peak and is a separate pass over the [T, B, N] spikes; here each
    /// chunk of samples does its own rows, so the two threads stay busy through the layer.
    /// </summary>
    internal sealed class Readout
    {
        /// <summary>W [C, N] at <see cref="WeightOffset"/>.</summary>
        public required float[] Weight { get; init; }
        public int WeightOffset { get; init; }
        /// <summary>Bias [C] at <see cref="BiasOffset"/>, or null.</summary>
        public float[]? Bias { get; init; }
        public int BiasOffset { get; init; }
        public required int Outputs { get; init; }
        /// <summary>Y [T·B, C], written.</summary>
        public required float[] Output { get; init; }
    }

    /// <summary>Lanes of the fixed summation order of <see cref="ReadoutRow"/>.</summary>
    internal const int ReadoutLanes = 8;

    /// <summary>
    /// One row of the fused read-out in an order that does not depend on the SIMD tier: for each output, eight lane sums
    /// p_l = Σ_k S[8k + l]·W[8k + l] (k ascending, product then add, from 0), reduced as ((p0 + p1) + (p2 + p3)) +
    /// ((p4 + p5) + (p6 + p7)), then the N mod 8 last neurons added in order, then the bias. AVX computes the lane sums
    /// as one vector per output (four outputs at a time: four independent add chains); other tiers run the same
    /// operations lane by lane.
    /// </summary>
    private static void ReadoutRow(Job job, int row, int off)
    {
        var lin = job.Linear!;
        int n = job.Config.Neurons, outputs = lin.Outputs, n8 = n - n % ReadoutLanes;
        bool avx = Simd.Resolve(job.Tier) >= SimdTier.Vec256 && Vector256.IsHardwareAccelerated;
        ref float s = ref job.Spikes[off];
        ref float w = ref lin.Weight[lin.WeightOffset];
        Span<float> p = stackalloc float[4 * ReadoutLanes];
        for (int c0 = 0; c0 < outputs; c0 += 4)
        {
            int k = Math.Min(4, outputs - c0);
            // Rows past the last output repeat it (computed, not stored): one code path for 1..4 outputs.
            ref float w0 = ref Unsafe.Add(ref w, c0 * n);
            ref float w1 = ref Unsafe.Add(ref w, (c0 + Math.Min(1, k - 1)) * n);
            ref float w2 = ref Unsafe.Add(ref w, (c0 + Math.Min(2, k - 1)) * n);
            ref float w3 = ref Unsafe.Add(ref w, (c0 + Math.Min(3, k - 1)) * n);
            if (avx) LaneSumsAvx(ref s, ref w0, ref w1, ref w2, ref w3, n8, p);
            else LaneSumsScalar(ref s, ref w0, ref w1, ref w2, ref w3, n8, p);
            for (int i = 0; i < k; i++)
            {
                var q = p.Slice(i * ReadoutLanes, ReadoutLanes);
                float sum = ((q[0] + q[1]) + (q[2] + q[3])) + ((q[4] + q[5]) + (q[6] + q[7]));
                ref float wi = ref Unsafe.Add(ref w, (c0 + i) * n);
                for (int j = n8; j < n; j++) sum += Unsafe.Add(ref s, j) * Unsafe.Add(ref wi, j);
                if (lin.Bias is not null) sum += lin.Bias[lin.BiasOffset + c0 + i];
                lin.Output[row * outputs + c0 + i] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LaneSumsAvx(ref float s, ref float w0, ref float w1, ref float w2, ref float w3, int n8, Span<float> p)
    {
        Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0; j < n8; j += ReadoutLanes)
        {
            var sv = Vector256.LoadUnsafe(ref s, (nuint)j);
            a0 += sv * Vector256.LoadUnsafe(ref w0, (nuint)j);
            a1 += sv * Vector256.LoadUnsafe(ref w1, (nuint)j);
            a2 += sv * Vector256.LoadUnsafe(ref w2, (nuint)j);
            a3 += sv * Vector256.LoadUnsafe(ref w3, (nuint)j);
        }
        ref float d = ref MemoryMarshal.GetReference(p);
        a0.StoreUnsafe(ref d);
        a1.StoreUnsafe(ref d, ReadoutLanes);
        a2.StoreUnsafe(ref d, 2 * ReadoutLanes);
        a3.StoreUnsafe(ref d, 3 * ReadoutLanes);
    }

    private static void LaneSumsScalar(ref float s, ref float w0, ref float w1, ref float w2, ref float w3, int n8, Span<float> p)
    {
        p.Clear();
        for (int j = 0; j < n8; j += ReadoutLanes)
            for (int l = 0; l < ReadoutLanes; l++)
            {
                float sv = Unsafe.Add(ref s, j + l);
                p[l] += sv * Unsafe.Add(ref w0, j + l);
                p[ReadoutLanes + l] += sv * Unsafe.Add(ref w1, j + l);
                p[2 * ReadoutLanes + l] += sv * Unsafe.Add(ref w2, j + l);
                p[3 * ReadoutLanes + l] += sv * Unsafe.Add(ref w3, j + l);
            }
    }

    // ∂L/∂S of one (step, sample) row from the layer above: row[j] = Σ_c G[row, c]·W[c, j], c ascending (the first
    // product, then one add per output). Up to four outputs per pass over the row (the row and W's rows stay in L1/L2),
    // each G[row, c] broadcast once: the same operations in the same order as one pass per output.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SpikeGradRow<V>(Gradients g, int row, int n, int vecEnd, Span<float> into) where V : struct, ISimdVec<V>
    {
        int outputs = g.Outputs;
        ref float go = ref g.OutGrad![g.OutGradOffset + row * outputs];
        ref float w = ref g.Weight![g.WeightOffset];
        ref float dst = ref MemoryMarshal.GetReference(into);
        for (int c0 = 0; c0 < outputs; c0 += 4)
        {
            int k = Math.Min(4, outputs - c0);
            bool first = c0 == 0;
            // Rows past the block's last output repeat it; their terms are skipped.
            ref float wa = ref Unsafe.Add(ref w, c0 * n);
            ref float wb = ref Unsafe.Add(ref w, (c0 + Math.Min(1, k - 1)) * n);
            ref float wc = ref Unsafe.Add(ref w, (c0 + Math.Min(2, k - 1)) * n);
            ref float wd = ref Unsafe.Add(ref w, (c0 + Math.Min(3, k - 1)) * n);
            float ga = Unsafe.Add(ref go, c0), gb = Unsafe.Add(ref go, c0 + Math.Min(1, k - 1));
            float gc = Unsafe.Add(ref go, c0 + Math.Min(2, k - 1)), gd = Unsafe.Add(ref go, c0 + Math.Min(3, k - 1));
            V gva = V.Create(ga), gvb = V.Create(gb), gvc = V.Create(gc), gvd = V.Create(gd);
            for (int j = 0; j < vecEnd; j += V.Count)
            {
                V prod = gva * V.Load(ref Unsafe.Add(ref wa, j));
                V acc = first ? prod : V.Load(ref Unsafe.Add(ref dst, j)) + prod;
                if (k > 1) acc += gvb * V.Load(ref Unsafe.Add(ref wb, j));
                if (k > 2) acc += gvc * V.Load(ref Unsafe.Add(ref wc, j));
                if (k > 3) acc += gvd * V.Load(ref Unsafe.Add(ref wd, j));
                V.Store(acc, ref Unsafe.Add(ref dst, j));
            }
            for (int j = vecEnd; j < n; j++)
            {
                float prod = ga * Unsafe.Add(ref wa, j);
                float acc = first ? prod : Unsafe.Add(ref dst, j) + prod;
                if (k > 1) acc += gb * Unsafe.Add(ref wb, j);
                if (k > 2) acc += gc * Unsafe.Add(ref wc, j);
                if (k > 3) acc += gd * Unsafe.Add(ref wd, j);
                Unsafe.Add(ref dst, j) = acc;
            }
        }
    }

    /// <summary>
    /// Adds sample b's part of ∂L/∂W[c, j] = Σ_t G[t, b, c]·S[t, b, j] into the chunk partial <paramref name="pw"/> [C, N]:
    /// per element, pw += G·S for t ascending (product then add). Elementwise across neurons, so every tier gives the same
    /// bits. The sweep goes along the spike rows (each contiguous) with four steps per pass over the partial, which stays
    /// in L1/L2: running down one neuron's T steps instead would read rows B·N floats apart, which all fall in one L1 set.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateWeightGrad<V>(Job job, Gradients g, int b, Span<float> pw) where V : struct, ISimdVec<V>
    {
        var c = job.Config;
        int n = c.Neurons, bn = c.Batch * n, steps = c.Steps, vecEnd = n - n % V.Count;
        var gArr = g.WeightGradOutGrad ?? g.OutGrad!;
        int gOff = g.WeightGradOutGrad is null ? g.OutGradOffset : g.WeightGradOutGradOffset;
        int outputs = g.WeightGradOutputs > 0 ? g.WeightGradOutputs : g.Outputs;
        int gStride = c.Batch * outputs; // from G[t, b, ·] to G[t + 1, b, ·]
        ref float go = ref gArr[gOff + b * outputs];
        ref float s = ref job.Spikes[b * n];
        ref float pwr = ref MemoryMarshal.GetReference(pw);
        int t = 0;
        for (; t + 4 <= steps; t += 4)
        {
            ref float s0 = ref Unsafe.Add(ref s, t * bn);
            ref float s1 = ref Unsafe.Add(ref s0, bn);
            ref float s2 = ref Unsafe.Add(ref s1, bn);
            ref float s3 = ref Unsafe.Add(ref s2, bn);
            ref float g0 = ref Unsafe.Add(ref go, t * gStride);
            ref float g1 = ref Unsafe.Add(ref g0, gStride);
            ref float g2 = ref Unsafe.Add(ref g1, gStride);
            ref float g3 = ref Unsafe.Add(ref g2, gStride);
            for (int j = 0; j < vecEnd; j += V.Count)
            {
                V v0 = V.Load(ref Unsafe.Add(ref s0, j)), v1 = V.Load(ref Unsafe.Add(ref s1, j)), v2 = V.Load(ref Unsafe.Add(ref s2, j)), v3 = V.Load(ref Unsafe.Add(ref s3, j));
                for (int o = 0; o < outputs; o++)
                {
                    ref float d = ref Unsafe.Add(ref pwr, o * n + j);
                    V acc = V.Load(ref d) + V.Create(Unsafe.Add(ref g0, o)) * v0;
                    acc += V.Create(Unsafe.Add(ref g1, o)) * v1;
                    acc += V.Create(Unsafe.Add(ref g2, o)) * v2;
                    acc += V.Create(Unsafe.Add(ref g3, o)) * v3;
                    V.Store(acc, ref d);
                }
            }
            for (int j = vecEnd; j < n; j++)
                for (int o = 0; o < outputs; o++)
                {
                    ref float d = ref Unsafe.Add(ref pwr, o * n + j);
                    float acc = d + Unsafe.Add(ref g0, o) * Unsafe.Add(ref s0, j);
                    acc += Unsafe.Add(ref g1, o) * Unsafe.Add(ref s1, j);
                    acc += Unsafe.Add(ref g2, o) * Unsafe.Add(ref s2, j);
                    acc += Unsafe.Add(ref g3, o) * Unsafe.Add(ref s3, j);
                    d = acc;
                }
        }
        for (; t < steps; t++)
        {
            ref float s0 = ref Unsafe.Add(ref s, t * bn);
            ref float g0 = ref Unsafe.Add(ref go, t * gStride);
            for (int j = 0; j < vecEnd; j += V.Count)
            {
                V v0 = V.Load(ref Unsafe.Add(ref s0, j));
                for (int o = 0; o < outputs; o++)
                {
                    ref float d = ref Unsafe.Add(ref pwr, o * n + j);
                    V.Store(V.Load(ref d) + V.Create(Unsafe.Add(ref g0, o)) * v0, ref d);
                }
            }
            for (int j = vecEnd; j < n; j++)
                for (int o = 0; o < outputs; o++) Unsafe.Add(ref pwr, o * n + j) += Unsafe.Add(ref g0, o) * Unsafe.Add(ref s0, j);
        }
    }
}
