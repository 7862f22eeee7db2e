using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Spiking;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>
/// "snn:W1,W2,…[,beta=0.95,t=25,surrogate=fast_sigmoid(25),…]": a spiking MLP (<see cref="SpikingNetwork"/>) of LIF
/// layers trained by BPTT through a surrogate gradient; snnTorch tutorial 5's network and defaults: constant-current
/// input, trained on the output membrane at every step (loss=membrane, Σₜ CE(U[t])), predicting by spike count
/// (decode=count). loss=scores trains on the decoded scores instead (spike counts, or mean membranes with
/// decode=membrane); on Fashion-MNIST that reaches 70 % after one epoch where the membrane loss reaches 79 % (PyTorch,
/// the peer's network and seed).
/// </summary>
public sealed class SnnKind : ModelKind
{
    private static readonly IReadOnlyList<SpecParameter> Parameters =
    [
        SpecParameter.Number("beta", 0.95, "membrane decay β", 0, 1),
        SpecParameter.Integer("t", 25, "time steps T", 1, 1000),
        SpecParameter.Number("threshold", 1, "firing threshold θ", 1e-6, 1e6),
        new("surrogate", SpecValueKind.Choice, "fast_sigmoid(25)", "surrogate gradient: " + string.Join(", ", SurrogateCatalog.Names)),
        SpecParameter.Choice("reset", "subtract", "reset after a spike", ["subtract", "zero", "none"]),
        SpecParameter.Choice("neuron", "leaky", "neuron model", ["leaky", "synaptic", "adaptive"], new() { ["lif"] = "leaky", ["alif"] = "adaptive" }),
        SpecParameter.Choice("encode", "constant", "input coding", ["constant", "rate", "latency"]),
        SpecParameter.Choice("decode", "count", "output decoding (the prediction)", ["count", "membrane"]),
        SpecParameter.Choice("loss", "membrane", "training loss: membrane = Σₜ CE(U[t]) of the output membrane (snnTorch tutorial 5), scores = CE of the decoded scores", ["membrane", "scores"]),
        SpecParameter.Boolean("learn_beta", false, "β learnable per neuron"),
        SpecParameter.Boolean("learn_threshold", false, "θ learnable per neuron"),
        SpecParameter.Integer("tbptt", 0, "truncated BPTT window (0 = full)", 0, 1000),
    ];

    /// <inheritdoc/>
    public override string Name => "snn";

    /// <inheritdoc/>
    public override string Form => "snn:W1,W2,…[,beta=0.95,t=25,surrogate=fast_sigmoid(25),reset=subtract,neuron=leaky,encode=constant,decode=count,loss=membrane], e.g. snn:1000";

    /// <inheritdoc/>
    public override bool AllowsNoWidths => false;

    /// <inheritdoc/>
    public override ActivationSpec? DefaultActivation => null;

    /// <inheritdoc/>
    public override string NoActivationReason => "its spiking neurons are the nonlinearity (choose them with neuron=…, surrogate=…)";

    /// <inheritdoc/>
    public override IReadOnlyList<SpecParameter> KindOptions => Parameters;

    /// <inheritdoc/>
    public override string CanonicalOption(SpecParameter parameter, string value, string spec)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.Name != "surrogate") return base.CanonicalOption(parameter, value, spec);
        try { return SurrogateCatalog.Parse(value).ToString(); }
        catch (InvalidInputException e) { throw new InvalidInputException(MessageText.WithoutParameter(e), nameof(spec)); } // ModelSpec adds "--model '…': "
    }

    /// <summary>The neuron options a spec describes.</summary>
    public static LifOptions NeuronOptions(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new LifOptions
        {
            Beta = Number(spec, "beta"),
            Threshold = Number(spec, "threshold"),
            Surrogate = SurrogateCatalog.Parse(spec.Option("surrogate")),
            Reset = Enum.Parse<ResetMechanism>(spec.Option("reset"), ignoreCase: true),
            Neuron = Enum.Parse<NeuronModel>(spec.Option("neuron"), ignoreCase: true),
            LearnBeta = spec.Option("learn_beta") == "true",
            LearnThreshold = spec.Option("learn_threshold") == "true",
            TruncateSteps = int.Parse(spec.Option("tbptt"), CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc/>
    public override Module Build(ModelSpec spec, int inputs, int outputs, Func<int, Module>? activation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SpikingNetwork(inputs, spec.Widths, outputs, int.Parse(spec.Option("t"), CultureInfo.InvariantCulture), NeuronOptions(spec),
            Enum.Parse<SpikeEncoding>(spec.Option("encode"), ignoreCase: true), Enum.Parse<SpikeDecoding>(spec.Option("decode"), ignoreCase: true), rng,
            Enum.Parse<SpikeLoss>(spec.Option("loss"), ignoreCase: true));
    }

    private static double Number(ModelSpec spec, string name) => double.Parse(spec.Option(name), CultureInfo.InvariantCulture);
}
