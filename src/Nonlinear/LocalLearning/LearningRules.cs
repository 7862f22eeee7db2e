using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>The training modes of `train --learning`: bp (backpropagation), fa and dfa.</summary>
public static class LearningRules
{
    /// <summary>The accepted names, in help order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bp", "fa", "dfa"];

    /// <summary>
    /// The gradient rule for <paramref name="name"/> on <paramref name="model"/> (null for bp: the trainer's own
    /// backpropagation); feedback matrices drawn from <paramref name="seed"/>, so a resumed run draws the same ones.
    /// </summary>
    /// <exception cref="InvalidInputException">An unknown mode, one not built (ff, hebbian-krotov), or a model the mode cannot train.</exception>
    public static IGradientRule? Create(string name, Module model, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = name.Trim().ToLowerInvariant();
        return n switch
        {
            "bp" or "backprop" => null,
            "fa" => new FeedbackAlignment(model, FeedbackMode.Feedback, new Rng(seed ^ 0xFEEDBAC4UL)),
            "dfa" => new FeedbackAlignment(model, FeedbackMode.Direct, new Rng(seed ^ 0xFEEDBAC4UL)),
            "ff" or "hebbian-krotov" => throw new InvalidInputException($"--learning {n} is not available yet (issue 14 lists it; this build has {string.Join(", ", Names)}).", nameof(name)),
            _ => throw new InvalidInputException($"--learning must be {string.Join(", ", Names)}; got '{name}'.", nameof(name)),
        };
    }
}
