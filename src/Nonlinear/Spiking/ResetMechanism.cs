namespace Nonlinear.Spiking;

/// <summary>What a spike does to the membrane at the next step (snnTorch's reset_mechanism).</summary>
public enum ResetMechanism
{
    /// <summary>U[t] = β·U[t−1] + I[t] − S[t−1]·θ ("subtract", snnTorch's default): the charge above threshold is kept.</summary>
    Subtract,
    /// <summary>U[t] = β·(1 − S[t−1])·U[t−1] + I[t] ("zero"): the previous membrane is zeroed, then the input integrates.</summary>
    Zero,
    /// <summary>No reset ("none"): used for read-out layers decoded by membrane.</summary>
    None,
}

/// <summary>The neuron model of a spiking layer.</summary>
public enum NeuronModel
{
    /// <summary>First-order leaky integrate-and-fire (snnTorch Leaky).</summary>
    Leaky,
    /// <summary>Second-order LIF: a synaptic current syn[t] = α·syn[t−1] + I[t] feeds the membrane (snnTorch Synaptic).</summary>
    Synaptic,
    /// <summary>
    /// Adaptive threshold (Bellec et al. 2018, ALIF): a[t] = ρ·a[t−1] + S[t−1], spikes when U[t] &gt; θ + b·a[t]. The
    /// adaptation is driven by spikes detached like the reset (<see cref="LifOptions.DetachReset"/>).
    /// </summary>
    Adaptive,
}
