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
    // product, then one add per output). Four outputs per pass over the row (the row and W's rows stay in L1/L2), each
    // G[row, c] broadcast once: the same operations in the same order as one pass per output.
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
            ref float wa = ref Unsafe.Add(ref w, c0 * n);
            float ga = Unsafe.Add(ref go, c0);
            V gva = V.Create(ga);
            switch (k)
            {
                case 4:
                {
                    ref float wb = ref Unsafe.Add(ref wa, n);
                    ref float wc = ref Unsafe.Add(ref wa, 2 * n);
                    ref float wd = ref Unsafe.Add(ref wa, 3 * n);
                    float gb = Unsafe.Add(ref go, c0 + 1), gc = Unsafe.Add(ref go, c0 + 2), gd = Unsafe.Add(ref go, c0 + 3);
                    V gvb = V.Create(gb), gvc = V.Create(gc), gvd = V.Create(gd);
                    for (int j = 0; j < vecEnd; j += V.Count)
                    {
                        V acc = c0 == 0 ? gva * V.Load(ref Unsafe.Add(ref wa, j)) : V.Load(ref Unsafe.Add(ref dst, j)) + gva * V.Load(ref Unsafe.Add(ref wa, j));
                        acc += gvb * V.Load(ref Unsafe.Add(ref wb, j));
                        acc += gvc * V.Load(ref Unsafe.Add(ref wc, j));
                        acc += gvd * V.Load(ref Unsafe.Add(ref wd, j));
                        V.Store(acc, ref Unsafe.Add(ref dst, j));
                    }
                    for (int j = vecEnd; j < n; j++)
                    {
                        float acc = c0 == 0 ? ga * Unsafe.Add(ref wa, j) : Unsafe.Add(ref dst, j) + ga * Unsafe.Add(ref wa, j);
                        acc += gb * Unsafe.Add(ref wb, j);
                        acc += gc * Unsafe.Add(ref wc, j);
                        acc += gd * Unsafe.Add(ref wd, j);
                        Unsafe.Add(ref dst, j) = acc;
                    }
                    break;
                }
                default:
                    for (int i = 0; i < k; i++)
                    {
                        ref float wi = ref Unsafe.Add(ref wa, i * n);
                        float gs = Unsafe.Add(ref go, c0 + i);
                        V gv = V.Create(gs);
                        bool first = c0 + i == 0;
                        for (int j = 0; j < vecEnd; j += V.Count)
                        {
                            V prod = gv * V.Load(ref Unsafe.Add(ref wi, j));
                            V.Store(first ? prod : V.Load(ref Unsafe.Add(ref dst, j)) + prod, ref Unsafe.Add(ref dst, j));
                        }
                        for (int j = vecEnd; j < n; j++) Unsafe.Add(ref dst, j) = first ? gs * Unsafe.Add(ref wi, j) : Unsafe.Add(ref dst, j) + gs * Unsafe.Add(ref wi, j);
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// Adds sample b's part of ∂L/∂W[c, j] = Σ_t G[t, b, c]·S[t, b, j] into the chunk partial <paramref name="pw"/> [C, N]:
    /// per element, from 0, t ascending, product then add, then one add into the partial. Elementwise across neurons, so
    /// every tier gives the same bits; four outputs per sweep over the sample's T spike rows.
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
        for (int c0 = 0; c0 < outputs; c0 += 4)
        {
            int k = Math.Min(4, outputs - c0);
            int c1 = c0 + Math.Min(1, k - 1), c2 = c0 + Math.Min(2, k - 1), c3 = c0 + Math.Min(3, k - 1);
            for (int j = 0; j < vecEnd; j += V.Count)
            {
                V a0 = V.Create(0f), a1 = a0, a2 = a0, a3 = a0;
                for (int t = 0; t < steps; t++)
                {
                    V sv = V.Load(ref Unsafe.Add(ref s, t * bn + j));
                    ref float gt = ref Unsafe.Add(ref go, t * gStride);
                    a0 += V.Create(Unsafe.Add(ref gt, c0)) * sv;
                    a1 += V.Create(Unsafe.Add(ref gt, c1)) * sv;
                    a2 += V.Create(Unsafe.Add(ref gt, c2)) * sv;
                    a3 += V.Create(Unsafe.Add(ref gt, c3)) * sv;
                }
                ref float d0 = ref Unsafe.Add(ref pwr, c0 * n + j);
                V.Store(V.Load(ref d0) + a0, ref d0);
                if (k > 1) { ref float d = ref Unsafe.Add(ref pwr, c1 * n + j); V.Store(V.Load(ref d) + a1, ref d); }
                if (k > 2) { ref float d = ref Unsafe.Add(ref pwr, c2 * n + j); V.Store(V.Load(ref d) + a2, ref d); }
                if (k > 3) { ref float d = ref Unsafe.Add(ref pwr, c3 * n + j); V.Store(V.Load(ref d) + a3, ref d); }
            }
            for (int j = vecEnd; j < n; j++)
                for (int i = 0; i < k; i++)
                {
                    float acc = 0f;
                    for (int t = 0; t < steps; t++) acc += Unsafe.Add(ref go, t * gStride + c0 + i) * Unsafe.Add(ref s, t * bn + j);
                    Unsafe.Add(ref pwr, (c0 + i) * n + j) += acc;
                }
        }
    }
}
