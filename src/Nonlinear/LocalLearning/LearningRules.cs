using Nonlinear.Layers;
using Nonlinear.Spiking;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>Turns a <see cref="LearningSpec"/> into the model a trainer trains and the rule that fills its gradients.</summary>
public static class LearningRules
{
    /// <summary>The accepted names, in help order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bp", "fa", "dfa", "ff", "hebbian-krotov"];

    /// <summary>
    /// The model to train and the gradient rule (null: the trainer's own backpropagation) for <paramref name="spec"/>
    /// on <paramref name="model"/> (as built from --model). bp, fa and dfa keep the model; ff replaces it by a
    /// <see cref="ForwardForwardNet"/> on its hidden layers, hebbian-krotov by a <see cref="KrotovHopfieldNet"/> of the
    /// same width (whose synapses the caller trains with <see cref="KrotovHopfieldNet.FitSynapses"/> first; the
    /// read-out is then backpropagated). Random draws (feedback matrices, read-outs, synapses) come from
    /// <paramref name="seed"/>, so a resumed run rebuilds the same ones.
    /// </summary>
    /// <exception cref="InvalidInputException">A model the mode cannot train.</exception>
    public static (Module Model, IGradientRule? Rule) Prepare(LearningSpec spec, Module model, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(model);
        switch (spec.Mode)
        {
            case LearningMode.FeedbackAlignment or LearningMode.DirectFeedbackAlignment:
            {
                var mode = spec.Mode == LearningMode.FeedbackAlignment ? FeedbackMode.Feedback : FeedbackMode.Direct;
                var rng = new Rng(seed ^ 0xFEEDBAC4UL);
                // A spiking MLP keeps its BPTT; only the error's way to the hidden spikes changes.
                return (model, model is SpikingNetwork snn ? new SpikingFeedbackAlignment(snn, mode, rng) : new FeedbackAlignment(model, mode, rng));
            }
            case LearningMode.ForwardForward:
                if (model is not Sequential mlp) throw new InvalidInputException($"forward-forward trains MLPs (e.g. --model mlp:500,500); got {model.GetType().Name}.", nameof(model));
                var net = new ForwardForwardNet(mlp, spec.ForwardForward, new Rng(seed ^ 0xF0F0F0F0UL));
                return (net, new ForwardForward(net, seed));
            case LearningMode.HebbianKrotov:
                return (KrotovHopfieldNet.FromMlp(model, spec.Krotov, new Rng(seed ^ 0x4B48UL)), null);
            default: return (model, null);
        }
    }
}
