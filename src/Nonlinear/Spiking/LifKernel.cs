using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Kernels;

namespace Nonlinear.Spiking;

/// <summary>
/// The vectorised time loop of leaky (and synaptic) LIF neurons with the reset detached (snnTorch's default): the
/// same recurrences as <see cref="LifLoop"/>, in the same float operations (no FMA contraction), so its values equal
/// the reference loop's and its bits are the same on every SIMD tier. The per-step update is elementwise across
/// neurons, so each (step, sample) row is swept with vectors over the neuron dimension. Work is split by samples in
/// chunks of <see cref="RowsPerChunk"/>, a split fixed by the batch size (not the thread count), and the per-neuron
/// gradients of β and θ are summed per chunk and then over chunks in order: a run is bit-identical for any
/// <see cref="Parallelism.MaxThreads"/>. Each chunk runs sample by sample, all T steps of one sample before the next,
/// so the previous step's row is still in L1 when the next step reads it. Adaptive (ALIF) neurons run here too: their
/// adaptation a and θ_eff are one more elementwise recurrence (detached, as in <see cref="LifLoop"/>). A small Linear on
/// the spikes can ride along in both passes (<see cref="Readout"/>, LifKernel.Readout.cs): each chunk multiplies its
/// own rows while they are in cache, so no thread waits for a GEMM of awkward shape.
/// </summary>
internal static partial class LifKernel
{
    /// <summary>Samples per parallel chunk.</summary>
    public const int RowsPerChunk = 8;

    /// <summary>Whether the configuration runs here (else <see cref="LifLoop"/>): an attached reset and the smooth test spike stay on the reference loop.</summary>
    public static bool Supports(in LifLoop.Config c) => c.DetachReset && c.SmoothK == 0;

    /// <summary>The arrays of one layer call (offsets are into the tensors' storage).</summary>
    internal sealed class Job
    {
        public required LifLoop.Config Config { get; init; }
        public required float[] Input { get; init; }
        public int InputOffset { get; init; }
        /// <summary>β clamped to [0, 1], per neuron.</summary>
        public required float[] Beta { get; init; }
        /// <summary>All bits set where the unclamped β is in [0, 1] (its gradient flows), else 0.</summary>
        public required float[] BetaFree { get; init; }
        public required float[] Threshold { get; init; }
        public required float[] Spikes { get; init; }
        public required float[] Membrane { get; init; }
        /// <summary>θ_eff [T, B, N] of adaptive neurons: written by the forward, read by the backward (null for other models).</summary>
        public float[]? ThresholdEff { get; init; }
        /// <summary>The Linear the spikes feed, run row by row inside the forward (null: none).</summary>
        public Readout? Linear { get; init; }
        public SimdTier Tier { get; init; }

        /// <summary>Creates the per-neuron β arrays from the layer's raw β.</summary>
        public static (float[] Clamped, float[] Free) BetaArrays(ReadOnlySpan<float> beta)
        {
            var clamped = new float[beta.Length];
            var free = new float[beta.Length];
            float all = BitConverter.Int32BitsToSingle(-1);
            for (int j = 0; j < beta.Length; j++)
            {
                clamped[j] = Math.Clamp(beta[j], 0f, 1f);
                free[j] = beta[j] >= 0f && beta[j] <= 1f ? all : 0f;
            }
            return (clamped, free);
        }
    }

    /// <summary>The gradients of one backward call; null arrays are not wanted (or not given).</summary>
    internal sealed class Gradients
    {
        public float[]? Spikes { get; init; }
        public int SpikesOffset { get; init; }
        public float[]? Membrane { get; init; }
        public int MembraneOffset { get; init; }
        public required float[] Input { get; init; }
        public float[]? Beta { get; init; }
        public float[]? Threshold { get; init; }
        /// <summary>
        /// When set, the spike gradients come from the Linear layer the spikes feed (C = <see cref="Outputs"/> outputs):
        /// ∂L/∂S[t, b, j] = Σ_c G[t, b, c]·W[c, j] (c ascending, one product then sums, no FMA) is formed one row at a time
        /// inside the loop from <see cref="OutGrad"/> G [T, B, C] and <see cref="Weight"/> W [C, N], instead of a
        /// [T, B, N] array written by a GEMM and read back; <see cref="Spikes"/> is then ignored.
        /// </summary>
        public float[]? OutGrad { get; init; }
        public int OutGradOffset { get; init; }
        public float[]? Weight { get; init; }
        public int WeightOffset { get; init; }
        public int Outputs { get; init; }
        /// <summary>
        /// When set (with <see cref="OutGrad"/>), the gradient of the weight of the Linear the spikes feed is added into it:
        /// ∂L/∂W[c, j] = Σ_r G[r, c]·S[r, j], formed per chunk of samples while the chunk's spikes are in cache
        /// (<see cref="AccumulateWeightGrad{V}"/>). <see cref="Weight"/> may then be another matrix than the forward weight
        /// (feedback alignment): it only carries the error to the spikes. <see cref="WeightGradOutGrad"/> is G when the
        /// spike gradients come from another error (direct feedback alignment); null: <see cref="OutGrad"/>.
        /// </summary>
        public float[]? WeightGrad { get; init; }
        public float[]? WeightGradOutGrad { get; init; }
        public int WeightGradOutGradOffset { get; init; }
        public int WeightGradOutputs { get; init; }
    }

    /// <summary>Fills spikes and membranes [T, B, N].</summary>
    public static void Forward(Job job)
    {
        var c = job.Config;
        int chunks = (c.Batch + RowsPerChunk - 1) / RowsPerChunk;
        var tier = Simd.Resolve(job.Tier);
        Parallelism.For(chunks, k =>
        {
            int b0 = k * RowsPerChunk, b1 = Math.Min(c.Batch, b0 + RowsPerChunk);
            // syn (synaptic) or a (adaptive): the per-sample state besides U and S.
            float[] syn = c.Neuron is NeuronModel.Synaptic or NeuronModel.Adaptive ? new float[c.Neurons] : [];
            for (int b = b0; b < b1; b++)
            {
                Array.Clear(syn); // syn[−1] = a[−1] = 0 for every sample
                switch (tier)
                {
                    case SimdTier.Vec512: ForwardSample<Vec512>(job, b, syn); break;
                    case SimdTier.Vec256: ForwardSample<Vec256>(job, b, syn); break;
                    case SimdTier.Vec128: ForwardSample<Vec128>(job, b, syn); break;
                    default: ForwardSample<Scalar>(job, b, syn); break;
                }
            }
        });
    }

    /// <summary>BPTT; the surrogate's struct formula is inlined into the loop.</summary>
    public static void Backward<S>(S surrogate, Job job, Gradients g) where S : struct, ISurrogateKernel
    {
        var c = job.Config;
        int n = c.Neurons, chunks = (c.Batch + RowsPerChunk - 1) / RowsPerChunk;
        var tier = Simd.Resolve(job.Tier);
        var partBeta = g.Beta is null ? null : new float[chunks * n];
        var partTh = g.Threshold is null ? null : new float[chunks * n];
        int wOutputs = g.WeightGradOutputs > 0 ? g.WeightGradOutputs : g.Outputs;
        var partW = g.WeightGrad is null ? null : new float[chunks * wOutputs * n];
        Parallelism.For(chunks, k =>
        {
            int b0 = k * RowsPerChunk, b1 = Math.Min(c.Batch, b0 + RowsPerChunk);
            // dL/dU and dL/dsyn of the step after the current one, then the row of spike gradients formed from the layer above.
            var scratch = new float[(g.OutGrad is null ? 2 : 3) * n];
            var pb = partBeta is null ? Span<float>.Empty : partBeta.AsSpan(k * n, n);
            var pt = partTh is null ? Span<float>.Empty : partTh.AsSpan(k * n, n);
            var pw = partW is null ? Span<float>.Empty : partW.AsSpan(k * wOutputs * n, wOutputs * n);
            for (int b = b0; b < b1; b++)
                switch (tier)
                {
                    case SimdTier.Vec512: BackwardSample<Vec512, S>(surrogate, job, g, b, scratch, pb, pt); if (partW is not null) AccumulateWeightGrad<Vec512>(job, g, b, pw); break;
                    case SimdTier.Vec256: BackwardSample<Vec256, S>(surrogate, job, g, b, scratch, pb, pt); if (partW is not null) AccumulateWeightGrad<Vec256>(job, g, b, pw); break;
                    case SimdTier.Vec128: BackwardSample<Vec128, S>(surrogate, job, g, b, scratch, pb, pt); if (partW is not null) AccumulateWeightGrad<Vec128>(job, g, b, pw); break;
                    default: BackwardSample<Scalar, S>(surrogate, job, g, b, scratch, pb, pt); if (partW is not null) AccumulateWeightGrad<Scalar>(job, g, b, pw); break;
                }
        });
        // Chunk partials in chunk order: the same sums whatever the thread count.
        if (partBeta is not null) SumChunks(partBeta, g.Beta!, chunks, n);
        if (partTh is not null) SumChunks(partTh, g.Threshold!, chunks, n);
        if (partW is not null) SumChunks(partW, g.WeightGrad!, chunks, wOutputs * n);
    }

    private static void SumChunks(float[] parts, float[] into, int chunks, int n)
    {
        for (int k = 0; k < chunks; k++)
            for (int j = 0; j < n; j++) into[j] += parts[k * n + j];
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ForwardSample<V>(Job job, int b, float[] synBuf) where V : struct, ISimdVec<V>
    {
        var c = job.Config;
        int n = c.Neurons, bn = c.Batch * n, vecEnd = n - n % V.Count;
        bool synaptic = c.Neuron == NeuronModel.Synaptic, adaptive = c.Neuron == NeuronModel.Adaptive;
        var reset = c.Reset;
        V zero = V.Create(0f), one = V.Create(1f), alpha = V.Create((float)c.Alpha), rho = V.Create((float)c.Rho), adaptB = V.Create((float)c.AdaptB);
        ref float beta = ref MemoryMarshal.GetArrayDataReference(job.Beta);
        ref float th = ref MemoryMarshal.GetArrayDataReference(job.Threshold);
        ref float mem = ref MemoryMarshal.GetArrayDataReference(job.Membrane);
        ref float spk = ref MemoryMarshal.GetArrayDataReference(job.Spikes);
        ref float syn = ref MemoryMarshal.GetArrayDataReference(synBuf); // a for adaptive neurons
        ref float thEffAll = ref adaptive ? ref MemoryMarshal.GetArrayDataReference(job.ThresholdEff!) : ref th;
        for (int t = 0; t < c.Steps; t++)
        {
            int off = t * bn + b * n, prev = off - bn;
            ref float input = ref job.Input[job.InputOffset + (c.ConstantInput ? b * n : off)];
            for (int j = 0; j < n; j += V.Count)
            {
                if (j >= vecEnd)
                {
                    ForwardTail(job, t, b, j, synBuf);
                    break;
                }
                V theta = V.Load(ref Unsafe.Add(ref th, j));
                V current = V.Load(ref Unsafe.Add(ref input, j));
                if (synaptic)
                {
                    current = alpha * V.Load(ref Unsafe.Add(ref syn, j)) + current;
                    V.Store(current, ref Unsafe.Add(ref syn, j));
                }
                V uPrev = t > 0 ? V.Load(ref Unsafe.Add(ref mem, prev + j)) : zero;
                V r = t > 0 ? V.Load(ref Unsafe.Add(ref spk, prev + j)) : zero;
                V bt = V.Load(ref Unsafe.Add(ref beta, j));
                V thEff = theta;
                if (adaptive)
                {
                    // a[t] = ρ·a[t−1] + S[t−1]; θ_eff = θ + b·a[t] (the reset below still subtracts θ, as in LifLoop).
                    V a = rho * V.Load(ref Unsafe.Add(ref syn, j)) + r;
                    V.Store(a, ref Unsafe.Add(ref syn, j));
                    thEff = theta + adaptB * a;
                    V.Store(thEff, ref Unsafe.Add(ref thEffAll, off + j));
                }
                V u = reset switch
                {
                    ResetMechanism.Subtract => bt * uPrev + current - r * theta,
                    ResetMechanism.Zero => bt * (one - r) * uPrev + current,
                    _ => bt * uPrev + current,
                };
                V.Store(u, ref Unsafe.Add(ref mem, off + j));
                V.Store(V.Select(V.GreaterThan(u - thEff, zero), one, zero), ref Unsafe.Add(ref spk, off + j));
            }
            if (job.Linear is not null) ReadoutRow(job, t * c.Batch + b, off);
        }
    }

    // The last n mod width neurons of a row, one lane at a time through the same formula.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ForwardTail(Job job, int t, int b, int j0, float[] syn)
    {
        var c = job.Config;
        int n = c.Neurons, bn = c.Batch * n, off = t * bn + b * n, prev = off - bn;
        int inOff = job.InputOffset + (c.ConstantInput ? b * n : off);
        for (int j = j0; j < n; j++)
        {
            float current = job.Input[inOff + j];
            if (c.Neuron == NeuronModel.Synaptic) current = syn[j] = (float)c.Alpha * syn[j] + current;
            float uPrev = t > 0 ? job.Membrane[prev + j] : 0f, r = t > 0 ? job.Spikes[prev + j] : 0f;
            float bt = job.Beta[j], theta = job.Threshold[j], thEff = theta;
            if (c.Neuron == NeuronModel.Adaptive)
            {
                float a = syn[j] = (float)c.Rho * syn[j] + r;
                thEff = job.ThresholdEff![off + j] = theta + (float)c.AdaptB * a;
            }
            float u = c.Reset switch
            {
                ResetMechanism.Subtract => bt * uPrev + current - r * theta,
                ResetMechanism.Zero => bt * (1f - r) * uPrev + current,
                _ => bt * uPrev + current,
            };
            job.Membrane[off + j] = u;
            job.Spikes[off + j] = u - thEff > 0f ? 1f : 0f;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void BackwardSample<V, S>(S sur, Job job, Gradients g, int b, float[] scratch, Span<float> gBeta, Span<float> gTh)
        where V : struct, ISimdVec<V> where S : struct, ISurrogateKernel
    {
        var c = job.Config;
        int n = c.Neurons, bn = c.Batch * n, vecEnd = n - n % V.Count;
        var reset = c.Reset;
        bool fused = g.OutGrad is not null;
        bool hasGS = fused || g.Spikes is not null, hasGU = g.Membrane is not null, wantBeta = !gBeta.IsEmpty, wantTh = !gTh.IsEmpty;
        bool synaptic = c.Neuron == NeuronModel.Synaptic;
        V zero = V.Create(0f), one = V.Create(1f), alpha = V.Create((float)c.Alpha);
        ref float beta = ref MemoryMarshal.GetArrayDataReference(job.Beta);
        ref float free = ref MemoryMarshal.GetArrayDataReference(job.BetaFree);
        ref float th = ref MemoryMarshal.GetArrayDataReference(job.Threshold);
        ref float mem = ref MemoryMarshal.GetArrayDataReference(job.Membrane);
        ref float spk = ref MemoryMarshal.GetArrayDataReference(job.Spikes);
        ref float gUNext = ref MemoryMarshal.GetArrayDataReference(scratch);
        ref float gSynNext = ref Unsafe.Add(ref gUNext, n);
        ref float gIn = ref MemoryMarshal.GetArrayDataReference(g.Input);
        ref float gs = ref gUNext; // unused unless hasGS
        if (fused) gs = ref Unsafe.Add(ref gUNext, 2 * n);
        else if (g.Spikes is not null) gs = ref g.Spikes[g.SpikesOffset];
        ref float gm = ref hasGU ? ref g.Membrane![g.MembraneOffset] : ref gUNext;
        ref float pb = ref MemoryMarshal.GetReference(gBeta);
        ref float pt = ref MemoryMarshal.GetReference(gTh);
        bool adaptive = c.Neuron == NeuronModel.Adaptive;
        ref float thEffAll = ref adaptive ? ref MemoryMarshal.GetArrayDataReference(job.ThresholdEff!) : ref th;
        for (int t = c.Steps - 1; t >= 0; t--)
        {
            int off = t * bn + b * n, prev = off - bn, inRow = c.ConstantInput ? b * n : off;
            // The carry from t+1 into t is cut at a truncation boundary (t+1 a multiple of K): the forward state is kept.
            bool carry = t + 1 < c.Steps && !(c.Truncate > 0 && (t + 1) % c.Truncate == 0);
            bool last = t + 1 == c.Steps, first = t == 0;
            if (fused) SpikeGradRow<V>(g, t * c.Batch + b, n, vecEnd, scratch.AsSpan(2 * n, n));
            ref float gsRow = ref fused ? ref gs : ref Unsafe.Add(ref gs, off);
            for (int j = 0; j < n; j += V.Count)
            {
                if (j >= vecEnd)
                {
                    BackwardTail(sur, job, g, t, b, j, scratch, gBeta, gTh, hasGS, ref gsRow);
                    break;
                }
                V u = V.Load(ref Unsafe.Add(ref mem, off + j));
                V bt = V.Load(ref Unsafe.Add(ref beta, j)), theta = V.Load(ref Unsafe.Add(ref th, j));
                V gS = hasGS ? V.Load(ref Unsafe.Add(ref gsRow, j)) : zero;
                V sg = sur.Derivative(u - (adaptive ? V.Load(ref Unsafe.Add(ref thEffAll, off + j)) : theta));
                V sNow = reset == ResetMechanism.Zero && !last ? V.Load(ref Unsafe.Add(ref spk, off + j)) : zero;
                V dUNext = reset == ResetMechanism.Zero ? bt * (one - sNow) : bt;
                V gNext = carry ? V.Load(ref Unsafe.Add(ref gUNext, j)) : zero;
                V gU = gS * sg + gNext * dUNext;
                if (hasGU) gU += V.Load(ref Unsafe.Add(ref gm, off + j));
                V gSyn = gU;
                if (synaptic)
                {
                    gSyn = gU + (carry ? alpha * V.Load(ref Unsafe.Add(ref gSynNext, j)) : zero);
                    V.Store(gSyn, ref Unsafe.Add(ref gSynNext, j));
                }
                ref float gi = ref Unsafe.Add(ref gIn, inRow + j);
                if (c.ConstantInput) V.Store((last ? zero : V.Load(ref gi)) + gSyn, ref gi);
                else V.Store(gSyn, ref gi);
                V r = first || !(wantBeta || wantTh) ? zero : V.Load(ref Unsafe.Add(ref spk, prev + j)); // only the β and θ gradients read r
                if (wantBeta)
                {
                    V uPrev = first ? zero : V.Load(ref Unsafe.Add(ref mem, prev + j));
                    ref float acc = ref Unsafe.Add(ref pb, j);
                    V a = V.Load(ref acc);
                    V term = gU * (reset == ResetMechanism.Zero ? (one - r) * uPrev : uPrev);
                    V.Store(V.Select(V.Load(ref Unsafe.Add(ref free, j)), a + term, a), ref acc);
                }
                if (wantTh)
                {
                    ref float acc = ref Unsafe.Add(ref pt, j);
                    V.Store(V.Load(ref acc) + ((-gS) * sg - (reset == ResetMechanism.Subtract ? gU * r : zero)), ref acc);
                }
                V.Store(gU, ref Unsafe.Add(ref gUNext, j));
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BackwardTail<S>(S sur, Job job, Gradients g, int t, int b, int j0, float[] scratch, Span<float> gBeta, Span<float> gTh,
        bool hasGS, ref float gsRow) where S : struct, ISurrogateKernel
    {
        var c = job.Config;
        int n = c.Neurons, bn = c.Batch * n, off = t * bn + b * n, prev = off - bn, inRow = c.ConstantInput ? b * n : off;
        bool carry = t + 1 < c.Steps && !(c.Truncate > 0 && (t + 1) % c.Truncate == 0);
        bool last = t + 1 == c.Steps, first = t == 0;
        for (int j = j0; j < n; j++)
        {
            float u = job.Membrane[off + j], bt = job.Beta[j], theta = job.Threshold[j];
            float gS = hasGS ? Unsafe.Add(ref gsRow, j) : 0f;
            float thEff = c.Neuron == NeuronModel.Adaptive ? job.ThresholdEff![off + j] : theta;
            float sg = sur.Derivative(new Scalar(u - thEff)).V;
            float sNow = c.Reset == ResetMechanism.Zero && !last ? job.Spikes[off + j] : 0f;
            float dUNext = c.Reset == ResetMechanism.Zero ? bt * (1f - sNow) : bt;
            float gU = gS * sg + (carry ? scratch[j] : 0f) * dUNext;
            if (g.Membrane is not null) gU += g.Membrane[g.MembraneOffset + off + j];
            float gSyn = gU;
            if (c.Neuron == NeuronModel.Synaptic) gSyn = scratch[n + j] = gU + (carry ? (float)c.Alpha * scratch[n + j] : 0f);
            if (c.ConstantInput) g.Input[inRow + j] = (last ? 0f : g.Input[inRow + j]) + gSyn;
            else g.Input[inRow + j] = gSyn;
            float r = first ? 0f : job.Spikes[prev + j];
            if (!gBeta.IsEmpty && job.BetaFree[j] != 0f)
            {
                float uPrev = first ? 0f : job.Membrane[prev + j];
                gBeta[j] += gU * (c.Reset == ResetMechanism.Zero ? (1f - r) * uPrev : uPrev);
            }
            if (!gTh.IsEmpty) gTh[j] += (-gS) * sg - (c.Reset == ResetMechanism.Subtract ? gU * r : 0f);
            scratch[j] = gU;
        }
    }
}
