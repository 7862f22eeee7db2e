using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Spiking;

public sealed partial class LifLayer
{
    /// <summary>
    /// Up to this many outputs of the Linear above, the Linear runs inside the LIF loops (<see cref="LifKernel.Readout"/>):
    /// its rows in the forward, the spike gradients ∂L/∂S = G·W row by row and the weight gradient per chunk of samples in
    /// the backward; above it, GEMMs over the whole [T·B, N] spike matrix.
    /// </summary>
    internal const int FusedSpikeGradOutputs = 64;

    /// <summary>
    /// Whether a Linear with at most <see cref="FusedSpikeGradOutputs"/> outputs runs inside the forward LIF loop instead
    /// of the GEMM [T·B, N]·[N, C] after it. Off by default, like the two backward switches: on the idle machine
    /// (2026-12-08, `snn-step 2`, alternated) the step took 29.5–30.9 ms with the three in-loop parts and 24.2–29.1 ms
    /// with the GEMMs (BENCHMARKS.md, session 8); the in-loop parts are kept, tested, for A/B runs.
    /// </summary>
    /// Per thread, like the two switches below, so a test can flip them without racing other tests.
    internal static bool FusedReadout { get => _inLoopForward; set => _inLoopForward = value; }

    [ThreadStatic] private static bool _inLoopForward, _inLoopSpikeGrad, _inLoopWeightGrad;

    /// <summary>
    /// Whether the backward forms the spike gradients row by row inside the BPTT loop (up to
    /// <see cref="FusedSpikeGradOutputs"/> outputs) instead of the GEMM into a reused [T·B, N] buffer.
    /// </summary>
    internal static bool RowWiseSpikeGrad { get => _inLoopSpikeGrad; set => _inLoopSpikeGrad = value; }

    /// <summary>
    /// Whether the weight gradient Gᵀ·S (up to <see cref="FusedSpikeGradOutputs"/> outputs) is formed per chunk of samples
    /// inside the BPTT pass instead of by the GEMM [C, T·B]·[T·B, N] after it.
    /// </summary>
    internal static bool InLoopWeightGrad { get => _inLoopWeightGrad; set => _inLoopWeightGrad = value; }

    /// <summary>
    /// With <see cref="FusedReadout"/> off: whether the Linear on the spikes and its weight gradient run by events
    /// (<see cref="SpikeSparse"/>) instead of the GEMM. Off: at the 31 % firing of an untrained 784-1000-10 net the events
    /// cost more CPU than the dense GEMM with 10 outputs (forward 7.3 ms, weight gradient 11–14 ms single-threaded, loaded
    /// machine); kept, tested, for sparser nets and A/B runs.
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
    /// fc(this(x)) [T, B, C] in one recorded op: the LIF loop with the Linear inside it (<see cref="FusedReadout"/>), or the
    /// loop then the Linear on the spikes (GEMM, or by events with <see cref="EventDriven"/>). The backward forms the spike
    /// gradients from G·W (or G·<paramref name="feedback"/>'s matrix: feedback alignment) and the weight gradient from Gᵀ·S.
    /// The [T, B, N] spikes and membranes live in buffers this layer reuses once the pass's backward has run (or at once
    /// when nothing is recorded); a graph whose buffers were reused raises at Backward() (the saved-tensor version check)
    /// instead of reading another pass's state.
    /// </summary>
    internal Tensor ForwardIntoLinear(Tensor x, Linear fc, SpikeFeedback.Use? feedback = null)
    {
        CheckInput(x);
        bool constant = x.Rank == 2;
        int steps = constant ? Steps : x.Size(0), batch = x.Size(-2), n = Neurons, outputs = fc.OutFeatures;
        int rows = steps * batch, total = rows * n;
        var cfg = LifLoop.Config.From(Options, steps, batch, n, constant);
        var state = Rent(total, Options.Neuron == NeuronModel.Adaptive);
        var input = x.Contiguous();
        var (clamped, free) = LifKernel.Job.BetaArrays(Beta.AsReadOnlySpan());
        Tensor weight = fc.Weight, beta = Beta, threshold = Threshold;
        Tensor? bias = fc.Bias;
        var w = weight.Contiguous();
        var bc = bias?.Contiguous();
        var y = new Tensor(new float[rows * outputs], [steps, batch, outputs]);
        bool inLoop = FusedReadout && outputs <= FusedSpikeGradOutputs;
        var job = new LifKernel.Job
        {
            Config = cfg, Input = input.Storage, InputOffset = input.Offset, Beta = clamped, BetaFree = free,
            Threshold = Threshold.Contiguous().AsReadOnlySpan().ToArray(), Spikes = state.Spikes.Storage, Membrane = state.Membrane.Storage,
            ThresholdEff = state.ThresholdEff?.Storage,
            Linear = inLoop ? new LifKernel.Readout { Weight = w.Storage, WeightOffset = w.Offset, Bias = bc?.Storage, BiasOffset = bc?.Offset ?? 0, Outputs = outputs, Output = y.Storage } : null,
        };
        LifKernel.Forward(job);
        var spikeMatrix = new Tensor(job.Spikes, [rows, n]);
        if (!inLoop) LinearOnSpikes(job, spikeMatrix, w, bc, y, rows, n, outputs);
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
            // The error the spikes receive: G·W (backpropagation), G·B (feedback alignment) or G_out·D (direct).
            var src = feedback?.Source(gc) ?? gc;
            var m = feedback?.Matrix.Contiguous() ?? w;
            var gIn = GC.AllocateUninitializedArray<float>(constant ? batch * n : total);
            var gBeta = beta.RequiresGrad ? new float[n] : [];
            var gTh = threshold.RequiresGrad ? new float[n] : [];
            bool wantW = weight.RequiresGrad;
            bool rowWise = RowWiseSpikeGrad && src.Size(-1) <= FusedSpikeGradOutputs;
            bool wInLoop = InLoopWeightGrad && rowWise && outputs <= FusedSpikeGradOutputs;
            var gW = wantW || bias?.RequiresGrad == true ? new Tensor(new float[outputs * n], [outputs, n]) : null;
            var grads = new LifKernel.Gradients
            {
                Spikes = rowWise ? null : DenseSpikeGrad(src, m, rows, n, state),
                OutGrad = rowWise ? src.Storage : null, OutGradOffset = src.Offset, Weight = rowWise ? m.Storage : null, WeightOffset = m.Offset, Outputs = src.Size(-1),
                WeightGrad = wInLoop ? gW?.Storage : null, WeightGradOutGrad = gc.Storage, WeightGradOutGradOffset = gc.Offset, WeightGradOutputs = outputs,
                Input = gIn, Beta = beta.RequiresGrad ? gBeta : null, Threshold = threshold.RequiresGrad ? gTh : null,
            };
            bool kernel = surrogate.TryLifBackward(job, grads);
            if (!kernel)
                LifLoop.Backward<float>(cfg, grads.Spikes ?? DenseSpikeGrad(src, m, rows, n, state), default, beta.AsReadOnlySpan(), threshold.AsReadOnlySpan(),
                    job.Spikes, job.Membrane, job.ThresholdEff ?? [], surrogate.Derivative, gIn, gBeta, gTh);
            Tensor? gB = null;
            if (gW is not null)
            {
                gB = bias is null ? null : new Tensor(new float[outputs], [outputs]);
                var g2 = Ops.Reshape(gc, rows, outputs);
                if (wInLoop && kernel)
                {
                    if (gB is not null) SumRows(g2.AsReadOnlySpan(), rows, outputs, gB.Storage);
                }
                else if (EventDriven) SpikeSparse.WeightGrad(job.Spikes, rows, n, gc.Storage, gc.Offset, outputs, gW.Storage, gB is null ? default : gB.Storage);
                else
                {
                    Ops.GemmInto(Ops.Transpose(g2, 0, 1), spikeMatrix, gW, 0f);
                    if (gB is not null) SumRows(g2.AsReadOnlySpan(), rows, outputs, gB.Storage);
                }
            }
            Return(state);
            var gx = new Tensor(gIn, x.Shape.ToArray());
            var gb = beta.RequiresGrad ? new Tensor(gBeta, [n]) : null;
            var gt = threshold.RequiresGrad ? new Tensor(gTh, [n]) : null;
            return bias is null ? [gx, gb, gt, wantW ? gW : null] : [gx, gb, gt, wantW ? gW : null, gB];
        }, saved: [state.Spikes, state.Membrane, beta, threshold, weight]);
    }

    // Y = S·Wᵀ + b after the loop: the GEMM, or by events.
    private static void LinearOnSpikes(LifKernel.Job job, Tensor spikeMatrix, Tensor w, Tensor? bias, Tensor y, int rows, int n, int outputs)
    {
        if (EventDriven)
        {
            SpikeSparse.Forward(job.Spikes, rows, n, w.AsReadOnlySpan(), bias is null ? default : bias.AsReadOnlySpan(), outputs, y.Storage);
            return;
        }
        Ops.GemmInto(spikeMatrix, Ops.Transpose(w, 0, 1), new Tensor(y.Storage, [rows, outputs]), 0f);
        if (bias is null) return;
        var b = bias.AsReadOnlySpan();
        var ys = y.Storage;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < outputs; c++) ys[r * outputs + c] += b[c];
    }

    private static void SumRows(ReadOnlySpan<float> g, int rows, int outputs, float[] into)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < outputs; c++) into[c] += g[r * outputs + c];
    }

    // ∂L/∂S [T·B, N] = G [T·B, C] · W [C, N] through the GEMM (wide layers above, or a surrogate without a SIMD formula).
    private static float[] DenseSpikeGrad(Tensor g, Tensor w, int rows, int n, State state)
    {
        // The pass owns its state until its backward returns it: the buffer is free to overwrite here.
        var into = state.SpikeGrad ??= new Tensor(GC.AllocateUninitializedArray<float>(rows * n), [rows, n]);
        Ops.GemmInto(Ops.Reshape(g, rows, g.Size(-1)), w, into, 0f);
        return into.Storage;
    }

    private State Rent(int total, bool adaptive)
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
                if (adaptive) s.ThresholdEff ??= new Tensor(GC.AllocateUninitializedArray<float>(total), [total]);
                return s;
            }
        }
        return new State(new Tensor(GC.AllocateUninitializedArray<float>(total), [total]), new Tensor(GC.AllocateUninitializedArray<float>(total), [total]))
        {
            ThresholdEff = adaptive ? new Tensor(GC.AllocateUninitializedArray<float>(total), [total]) : null,
        };
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
        /// <summary>θ_eff [T·B·N] of adaptive neurons (written by the forward before the backward reads it).</summary>
        public Tensor? ThresholdEff { get; set; }
        /// <summary>∂L/∂S [T·B, N] when the GEMM forms it; allocated on first use.</summary>
        public Tensor? SpikeGrad { get; set; }
    }
}
