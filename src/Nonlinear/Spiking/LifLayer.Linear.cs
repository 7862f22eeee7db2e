using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Spiking;

public sealed partial class LifLayer
{
    /// <summary>
    /// Up to this many outputs of the Linear above, the backward forms each row of spike gradients inside the LIF loop
    /// (C products per neuron, W in cache); above it a GEMM writes them as a [T, B, N] array first.
    /// </summary>
    internal const int FusedSpikeGradOutputs = 64;

    /// <summary>
    /// Whether the backward forms the spike gradients row by row inside the BPTT loop (up to
    /// <see cref="FusedSpikeGradOutputs"/> outputs) instead of the GEMM into a reused buffer. Off: at 784-1000-10 it cost
    /// more CPU per step (47.4 vs 39.3 ms, snn-step, loaded machine, 2026-12-07); kept, tested, for A/B runs.
    /// </summary>
    internal static bool RowWiseSpikeGrad { get; set; }

    /// <summary>
    /// Whether the Linear on the spikes and its weight gradient run by events (<see cref="SpikeSparse"/>) instead of the
    /// GEMM. Off: at the 31 % firing of an untrained 784-1000-10 net the events cost more CPU than the dense GEMM with
    /// 10 outputs (forward 7.3 ms, weight gradient 11–14 ms single-threaded, loaded machine); kept, tested, for sparser
    /// nets and A/B runs.
    /// </summary>
    internal static bool EventDriven { get; set; }

    // Spike and membrane buffers of finished passes, reused by the next: a [T, B, N] pair is 25 MB at 784-1000-10, B = 128,
    // and fresh ones each step cost page faults and gen-2 collections.
    private readonly Stack<State> _free = new();

    /// <summary>
    /// Whether <see cref="ForwardIntoLinear"/> may replace Call(this) then Call(<paramref name="fc"/>): both without
    /// hooks (the fused path never materialises this layer's output for a hook to see), spikes out, and a neuron
    /// model the vectorised loop runs.
    /// </summary>
    internal bool CanFeed(Linear fc) =>
        !HasHooks && !fc.HasHooks && _output == LifOutput.Spikes && fc.InFeatures == Neurons &&
        LifKernel.Supports(LifLoop.Config.From(Options, Steps, 1, Neurons, constantInput: true));

    /// <summary>
    /// fc(this(x)) [T, B, C] in one recorded op: the LIF loop, then the Linear on the spikes (GEMM, or by events with
    /// <see cref="EventDriven"/>); the backward forms the spike gradients with the GEMM (or row by row inside the BPTT
    /// loop with <see cref="RowWiseSpikeGrad"/>) and the weight gradient likewise. The [T, B, N] spikes and membranes live in buffers this layer
    /// reuses once the pass's backward has run (or at once when nothing is recorded); a graph whose buffers were reused
    /// raises at Backward() (the saved-tensor version check) instead of reading another pass's state.
    /// </summary>
    internal Tensor ForwardIntoLinear(Tensor x, Linear fc)
    {
        CheckInput(x);
        bool constant = x.Rank == 2;
        int steps = constant ? Steps : x.Size(0), batch = x.Size(-2), n = Neurons, outputs = fc.OutFeatures;
        int rows = steps * batch, total = rows * n;
        var cfg = LifLoop.Config.From(Options, steps, batch, n, constant);
        var state = Rent(total);
        var input = x.Contiguous();
        var (clamped, free) = LifKernel.Job.BetaArrays(Beta.AsReadOnlySpan());
        var job = new LifKernel.Job
        {
            Config = cfg, Input = input.Storage, InputOffset = input.Offset, Beta = clamped, BetaFree = free,
            Threshold = Threshold.Contiguous().AsReadOnlySpan().ToArray(), Spikes = state.Spikes.Storage, Membrane = state.Membrane.Storage,
        };
        LifKernel.Forward(job);
        Tensor weight = fc.Weight, beta = Beta, threshold = Threshold;
        Tensor? bias = fc.Bias;
        var w = weight.Contiguous();
        var y = new Tensor(new float[rows * outputs], [steps, batch, outputs]);
        var spikeMatrix = new Tensor(job.Spikes, [rows, n]);
        if (EventDriven) SpikeSparse.Forward(job.Spikes, rows, n, w.AsReadOnlySpan(), bias is null ? default : bias.Contiguous().AsReadOnlySpan(), outputs, y.Storage);
        else
        {
            Ops.GemmInto(spikeMatrix, Ops.Transpose(w, 0, 1), new Tensor(y.Storage, [rows, outputs]), 0f);
            if (bias is not null)
            {
                var b = bias.Contiguous().AsReadOnlySpan();
                var ys = y.Storage;
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < outputs; c++) ys[r * outputs + c] += b[c];
            }
        }
        Tensor[] inputs = bias is null ? [x, beta, threshold, weight] : [x, beta, threshold, weight, bias];
        if (!Autograd.ShouldRecord(inputs))
        {
            Return(state);
            return y;
        }
        var surrogate = Options.Surrogate;
        return Autograd.Record(y, "lif_linear", inputs, g =>
        {
            var gc = g.Contiguous();
            var gIn = GC.AllocateUninitializedArray<float>(constant ? batch * n : total);
            var gBeta = beta.RequiresGrad ? new float[n] : [];
            var gTh = threshold.RequiresGrad ? new float[n] : [];
            bool rowWise = RowWiseSpikeGrad && outputs <= FusedSpikeGradOutputs;
            var grads = new LifKernel.Gradients
            {
                Spikes = rowWise ? null : DenseSpikeGrad(gc, w, rows, n, state),
                OutGrad = rowWise ? gc.Storage : null, OutGradOffset = gc.Offset, Weight = rowWise ? w.Storage : null, WeightOffset = w.Offset, Outputs = outputs,
                Input = gIn, Beta = beta.RequiresGrad ? gBeta : null, Threshold = threshold.RequiresGrad ? gTh : null,
            };
            if (!surrogate.TryLifBackward(job, grads))
                LifLoop.Backward<float>(cfg, grads.Spikes ?? DenseSpikeGrad(gc, w, rows, n, state), default, beta.AsReadOnlySpan(), threshold.AsReadOnlySpan(),
                    job.Spikes, job.Membrane, [], surrogate.Derivative, gIn, gBeta, gTh);
            Tensor? gW = null, gB = null;
            if (weight.RequiresGrad || bias?.RequiresGrad == true)
            {
                gW = new Tensor(new float[outputs * n], [outputs, n]);
                gB = bias is null ? null : new Tensor(new float[outputs], [outputs]);
                if (EventDriven) SpikeSparse.WeightGrad(job.Spikes, rows, n, gc.Storage, gc.Offset, outputs, gW.Storage, gB is null ? default : gB.Storage);
                else
                {
                    var g2 = Ops.Reshape(gc, rows, outputs);
                    Ops.GemmInto(Ops.Transpose(g2, 0, 1), spikeMatrix, gW, 0f);
                    if (gB is not null)
                    {
                        var gs = g2.AsReadOnlySpan();
                        for (int r = 0; r < rows; r++)
                            for (int c = 0; c < outputs; c++) gB.Storage[c] += gs[r * outputs + c];
                    }
                }
            }
            Return(state);
            var gx = new Tensor(gIn, x.Shape.ToArray());
            var gb = beta.RequiresGrad ? new Tensor(gBeta, [n]) : null;
            var gt = threshold.RequiresGrad ? new Tensor(gTh, [n]) : null;
            return bias is null ? [gx, gb, gt, gW] : [gx, gb, gt, gW, gB];
        }, saved: [state.Spikes, state.Membrane, beta, threshold, weight]);
    }

    // ∂L/∂S [T·B, N] = G [T·B, C] · W [C, N] through the GEMM (wide layers above, or a surrogate without a SIMD formula).
    private static float[] DenseSpikeGrad(Tensor g, Tensor w, int rows, int n, State state)
    {
        // The pass owns its state until its backward returns it: the buffer is free to overwrite here.
        var into = state.SpikeGrad ??= new Tensor(GC.AllocateUninitializedArray<float>(rows * n), [rows, n]);
        Ops.GemmInto(Ops.Reshape(g, rows, g.Size(-1)), w, into, 0f);
        return into.Storage;
    }

    private State Rent(int total)
    {
        lock (_free)
        {
            while (_free.TryPop(out var s))
            {
                if (s.Spikes.Length != total) continue; // another batch size: let it go
                s.Free = false;
                // A write, as far as any graph that saved these tensors is concerned.
                s.Spikes.VersionCounter.Value++;
                s.Membrane.VersionCounter.Value++;
                return s;
            }
        }
        return new State(new Tensor(GC.AllocateUninitializedArray<float>(total), [total]), new Tensor(GC.AllocateUninitializedArray<float>(total), [total]));
    }

    private void Return(State s)
    {
        lock (_free)
        {
            // A retained graph's second backward returns the same pair again: keep one entry per pair.
            if (s.Free || _free.Count >= 2) return;
            s.Free = true;
            _free.Push(s);
        }
    }

    private sealed class State(Tensor spikes, Tensor membrane)
    {
        public Tensor Spikes { get; } = spikes;
        public Tensor Membrane { get; } = membrane;
        public bool Free { get; set; }
        /// <summary>∂L/∂S [T·B, N] when the GEMM forms it; allocated on first use.</summary>
        public Tensor? SpikeGrad { get; set; }
    }
}
