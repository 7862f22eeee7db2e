using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>
/// Krotov &amp; Hopfield's two-layer classifier: hidden units h_μ = (β·relu(Σᵢ W_μi vᵢ))ⁿ with the synapses W learned
/// without labels by <see cref="KrotovHopfield"/> (a buffer "synapses": saved in checkpoints, never touched by the
/// optimizer), then a linear read-out "readout" trained with cross-entropy by backpropagation on the frozen hidden
/// units. β (buffer "scale") is one global constant, set by <see cref="Calibrate"/> after the unsupervised phase so the
/// largest hidden activity is about 1 — the role of the paper's β in its tanh(β·S·h) classifier; without it relu(x)^4.5
/// reaches the thousands and Adam's steps on the read-out overshoot.
/// </summary>
public sealed class KrotovHopfieldNet : Module
{
    /// <summary>Builds the net with <paramref name="hidden"/> units on <paramref name="inputs"/> features; synapses ~ N(0, 1) as the authors' code, read-out as torch's Linear.</summary>
    public KrotovHopfieldNet(int inputs, int hidden, int classes, KrotovHopfieldOptions options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate(hidden);
        Options = options;
        Synapses = RegisterBuffer("synapses", Tensor.Randn(rng, [hidden, inputs]));
        Scale = RegisterBuffer("scale", Tensor.Ones(1));
        Readout = RegisterModule("readout", new Linear(hidden, classes, rng));
    }

    /// <summary>
    /// The net for `--model mlp:H` (one hidden width): its hidden width, inputs and classes; the MLP's activation is
    /// not used (the hidden units are relu(x)ⁿ).
    /// </summary>
    /// <exception cref="InvalidInputException">Not an MLP with exactly one hidden layer.</exception>
    public static KrotovHopfieldNet FromMlp(Module mlp, KrotovHopfieldOptions options, Rng rng)
    {
        var (hidden, _, output) = LayerBlocks.Split(mlp, "hebbian-krotov");
        if (hidden.Length != 1)
            throw new InvalidInputException($"hebbian-krotov trains one hidden layer (e.g. --model mlp:2000); got {hidden.Length}.", nameof(mlp));
        return new KrotovHopfieldNet(hidden[0].InFeatures, hidden[0].OutFeatures, output.OutFeatures, options, rng);
    }

    /// <summary>The hyper-parameters.</summary>
    public KrotovHopfieldOptions Options { get; }
    /// <summary>W [hidden, inputs], learned by the unsupervised rule.</summary>
    public Tensor Synapses { get; }
    /// <summary>β [1], the global scale of the hidden currents.</summary>
    public Tensor Scale { get; }
    /// <summary>The supervised read-out.</summary>
    public Linear Readout { get; }

    /// <summary>Runs the unsupervised phase on <paramref name="data"/> and then <see cref="Calibrate"/>s β on it.</summary>
    public void FitSynapses(Dataset data, ulong seed, Action<int, int, int>? onBatch = null)
    {
        KrotovHopfield.Fit(Synapses, data, Options, seed, onBatch);
        Calibrate(data);
    }

    /// <summary>Sets β so that the mean over (up to 1000) rows of <paramref name="data"/> of the largest relu current is 1.</summary>
    public void Calibrate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = Math.Min(1000, data.Count);
        var x = Tensor.FromArray(data.Features.AsSpan(0, n * data.FeatureCount).ToArray(), n, data.FeatureCount);
        using var _ = Autograd.NoGrad();
        var currents = Ops.Linear(x, Synapses, null).AsReadOnlySpan();
        int hidden = Synapses.Size(0);
        double sum = 0;
        for (int r = 0; r < n; r++)
        {
            float max = 0;
            foreach (float c in currents.Slice(r * hidden, hidden)) max = Math.Max(max, c);
            sum += max;
        }
        double mean = sum / Math.Max(n, 1);
        Scale.AsSpan()[0] = mean > 0 ? (float)(1 / mean) : 1f;
    }

    /// <summary>The hidden activities (β·relu(W v))ⁿ [B, hidden], without a graph.</summary>
    public Tensor Hidden(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var _ = Autograd.NoGrad();
        var h = Ops.MulScalar(Ops.Linear(x, Synapses, null), Scale.AsReadOnlySpan()[0]).Relu();
        return Options.Power == 1 ? h : Ops.Pow(h, (float)Options.Power);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Readout.Call(Hidden(x));

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"hidden={Synapses.Size(0)}, p={Options.P}, k={Options.K}, delta={Options.Delta}, n={Options.Power}";
}
