using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Spiking;

/// <summary>What a <see cref="LifLayer"/> returns.</summary>
public enum LifOutput
{
    /// <summary>The spike trains S [T, B, N].</summary>
    Spikes,
    /// <summary>The membrane potentials U [T, B, N] (for read-out layers decoded by membrane).</summary>
    Membrane,
}

/// <summary>
/// A layer of N leaky integrate-and-fire neurons run over T steps by one fused loop (<see cref="LifLoop"/>), with BPTT
/// through a surrogate gradient: snnTorch's Leaky / Synaptic (and an ALIF) applied to a whole sequence at once.
/// Input [T, B, N] currents, or [B, N] for a current constant over <see cref="Steps"/> steps (the first layer of a
/// network fed a constant current: the GEMM before it runs once instead of T times). Output [T, B, N].
/// β and θ are per-neuron tensors named "beta" and "threshold": parameters when learnable, buffers otherwise.
/// </summary>
public sealed partial class LifLayer : Module
{
    private readonly LifOutput _output;

    /// <summary>Creates the layer.</summary>
    /// <param name="neurons">N.</param>
    /// <param name="steps">T for a constant [B, N] input (a [T, B, N] input brings its own T).</param>
    /// <param name="options">Neuron hyper-parameters.</param>
    /// <param name="output">Spikes or membranes.</param>
    /// <exception cref="ArgumentException">neurons or steps &lt; 1, or invalid options.</exception>
    public LifLayer(int neurons, int steps, LifOptions options, LifOutput output = LifOutput.Spikes)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (neurons < 1) throw new ArgumentException($"neurons must be ≥ 1; got {neurons}.", nameof(neurons));
        if (steps < 1) throw new ArgumentException($"steps must be ≥ 1; got {steps}.", nameof(steps));
        options.Validate();
        Neurons = neurons;
        Steps = steps;
        Options = options;
        _output = output;
        var beta = Tensor.Full((float)options.Beta, neurons);
        var threshold = Tensor.Full((float)options.Threshold, neurons);
        Beta = options.LearnBeta ? RegisterParameter("beta", beta) : RegisterBuffer("beta", beta);
        Threshold = options.LearnThreshold ? RegisterParameter("threshold", threshold) : RegisterBuffer("threshold", threshold);
    }

    /// <summary>N.</summary>
    public int Neurons { get; }

    /// <summary>T for a constant input.</summary>
    public int Steps { get; }

    /// <summary>The hyper-parameters.</summary>
    public LifOptions Options { get; }

    /// <summary>Decay β per neuron [N].</summary>
    public Tensor Beta { get; }

    /// <summary>Threshold θ per neuron [N].</summary>
    public Tensor Threshold { get; }

    /// <summary>Whether the layer returns membranes (else spikes).</summary>
    internal bool ReturnsMembrane => _output == LifOutput.Membrane;

    /// <summary>The spikes [T, B, N] (row-major) of the latest forward pass, whichever output the layer returns.</summary>
    internal float[]? LastSpikes { get; private set; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        CheckInput(x);
        bool constant = x.Rank == 2;
        int steps = constant ? Steps : x.Size(0), batch = x.Size(-2);
        var cfg = LifLoop.Config.From(Options, steps, batch, Neurons, constant);
        int total = steps * batch * Neurons;
        // Every element is written by either loop, so the buffers need no zeroing.
        var spikes = GC.AllocateUninitializedArray<float>(total);
        var membrane = GC.AllocateUninitializedArray<float>(total);
        var thEff = Options.Neuron == NeuronModel.Adaptive ? new float[total] : [];
        var input = x.Contiguous();
        LifKernel.Job? job = null;
        if (LifKernel.Supports(cfg))
        {
            var (clamped, free) = LifKernel.Job.BetaArrays(Beta.AsReadOnlySpan());
            job = new LifKernel.Job
            {
                Config = cfg, Input = input.Storage, InputOffset = input.Offset, Beta = clamped, BetaFree = free,
                Threshold = Threshold.Contiguous().AsReadOnlySpan().ToArray(), Spikes = spikes, Membrane = membrane,
                ThresholdEff = thEff.Length > 0 ? thEff : null,
            };
            LifKernel.Forward(job);
        }
        else LifLoop.Forward<float>(cfg, input.AsReadOnlySpan(), Beta.AsReadOnlySpan(), Threshold.AsReadOnlySpan(), spikes, membrane, thEff);
        LastSpikes = spikes;
        var shape = new[] { steps, batch, Neurons };
        var y = new Tensor(_output == LifOutput.Spikes ? spikes : membrane, shape);
        var surrogate = Options.Surrogate;
        Tensor beta = Beta, threshold = Threshold;
        bool membraneOut = _output == LifOutput.Membrane;
        return Autograd.Record(y, "lif", [x, beta, threshold], g =>
        {
            var gc = g.Contiguous();
            var gIn = GC.AllocateUninitializedArray<float>(constant ? batch * Neurons : total);
            var gBeta = beta.RequiresGrad ? new float[Neurons] : [];
            var gTh = threshold.RequiresGrad ? new float[Neurons] : [];
            var grads = job is null ? null : new LifKernel.Gradients
            {
                Spikes = membraneOut ? null : gc.Storage, SpikesOffset = gc.Offset,
                Membrane = membraneOut ? gc.Storage : null, MembraneOffset = gc.Offset,
                Input = gIn, Beta = beta.RequiresGrad ? gBeta : null, Threshold = threshold.RequiresGrad ? gTh : null,
            };
            if (job is null || !surrogate.TryLifBackward(job, grads!))
                LifLoop.Backward<float>(cfg, membraneOut ? default : gc.AsReadOnlySpan(), membraneOut ? gc.AsReadOnlySpan() : default,
                    beta.AsReadOnlySpan(), threshold.AsReadOnlySpan(), spikes, membrane, thEff, surrogate.Derivative, gIn, gBeta, gTh);
            return
            [
                new Tensor(gIn, x.Shape.ToArray()),
                beta.RequiresGrad ? new Tensor(gBeta, [Neurons]) : null,
                threshold.RequiresGrad ? new Tensor(gTh, [Neurons]) : null,
            ];
        }, saved: [y, beta, threshold]);
    }

    private void CheckInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(x.Rank is 2 or 3) || x.Size(-1) != Neurons)
            throw new ArgumentException($"LifLayer expects currents [T, B, {Neurons}] or [B, {Neurons}]; got {Shapes.Format(x.Shape)}.", nameof(x));
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"neurons={Neurons}, steps={Steps}, neuron={Options.Neuron}, beta={Options.Beta}, threshold={Options.Threshold}, reset={Options.Reset}, surrogate={Options.Surrogate}";
}
