namespace Nonlinear.Spiking;

/// <summary>
/// Hyper-parameters of a layer of LIF neurons; defaults are snnTorch's tutorial 5 (β = 0.95, θ = 1, reset by
/// subtraction, fast_sigmoid(25), reset detached from the graph).
/// </summary>
public sealed record LifOptions
{
    /// <summary>Membrane decay β in [0, 1] (initial value when learnable; clamped to [0, 1] in the loop as snnTorch does).</summary>
    public double Beta { get; init; } = 0.95;

    /// <summary>Firing threshold θ &gt; 0 (initial value when learnable).</summary>
    public double Threshold { get; init; } = 1.0;

    /// <summary>The reset after a spike.</summary>
    public ResetMechanism Reset { get; init; } = ResetMechanism.Subtract;

    /// <summary>The neuron model.</summary>
    public NeuronModel Neuron { get; init; } = NeuronModel.Leaky;

    /// <summary>Synaptic current decay α in [0, 1] (<see cref="NeuronModel.Synaptic"/> only).</summary>
    public double Alpha { get; init; } = 0.9;

    /// <summary>Adaptation decay ρ in [0, 1] (<see cref="NeuronModel.Adaptive"/> only).</summary>
    public double AdaptationDecay { get; init; } = 0.95;

    /// <summary>Threshold increase b ≥ 0 per unit of adaptation (<see cref="NeuronModel.Adaptive"/> only).</summary>
    public double AdaptationStrength { get; init; } = 0.2;

    /// <summary>β is a learnable parameter per neuron ("beta"), else a fixed buffer.</summary>
    public bool LearnBeta { get; init; }

    /// <summary>θ is a learnable parameter per neuron ("threshold"), else a fixed buffer.</summary>
    public bool LearnThreshold { get; init; }

    /// <summary>The spike's surrogate gradient.</summary>
    public SurrogateGradient Surrogate { get; init; } = SurrogateCatalog.Default;

    /// <summary>
    /// Truncated BPTT window K: gradients do not flow from step t to t−1 when t is a multiple of K (the forward state
    /// does); 0 means full BPTT.
    /// </summary>
    public int TruncateSteps { get; init; }

    /// <summary>
    /// The reset term (and an adaptive neuron's adaptation) uses S[t−1] without gradient (snnTorch's default). False
    /// differentiates through them too (through the surrogate of the previous step).
    /// </summary>
    public bool DetachReset { get; init; } = true;

    /// <summary>
    /// Test mode: spikes are σ(k·(U − θ)) instead of H(U − θ) and the backward uses that exact derivative, so the whole
    /// loop is smooth and finite differences can check BPTT. k = this value; 0 (the default) means Heaviside spikes.
    /// </summary>
    internal double SmoothSpikeSlope { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A value outside its documented range.</exception>
    public void Validate()
    {
        if (!(Beta >= 0 && Beta <= 1)) throw new ArgumentException($"beta must be in [0, 1]; got {Beta}.", nameof(Beta));
        if (!(Threshold > 0 && double.IsFinite(Threshold))) throw new ArgumentException($"threshold must be > 0 and finite; got {Threshold}.", nameof(Threshold));
        if (!(Alpha >= 0 && Alpha <= 1)) throw new ArgumentException($"alpha must be in [0, 1]; got {Alpha}.", nameof(Alpha));
        if (!(AdaptationDecay >= 0 && AdaptationDecay <= 1)) throw new ArgumentException($"adaptation decay must be in [0, 1]; got {AdaptationDecay}.", nameof(AdaptationDecay));
        if (!(AdaptationStrength >= 0 && double.IsFinite(AdaptationStrength))) throw new ArgumentException($"adaptation strength must be ≥ 0; got {AdaptationStrength}.", nameof(AdaptationStrength));
        if (TruncateSteps < 0) throw new ArgumentException($"truncation window must be ≥ 0; got {TruncateSteps}.", nameof(TruncateSteps));
        ArgumentNullException.ThrowIfNull(Surrogate);
    }
}
