using System.Globalization;

namespace Nonlinear.LocalLearning;

/// <summary>How a <see cref="ForwardForwardNet"/> classifies.</summary>
public enum ForwardForwardPrediction
{
    /// <summary>
    /// Hinton's goodness classifier: run the net once per label with that label embedded, and pick the label whose
    /// goodness, summed over the scored layers, is highest. The net's output is then the summed goodness per label.
    /// </summary>
    Goodness,
    /// <summary>
    /// The softmax read-out: run the net once with the neutral label (every label pixel 1/classes) and feed the
    /// concatenated length-normalised activities of the scored layers to a linear layer trained with cross-entropy.
    /// </summary>
    Softmax,
}

/// <summary>
/// Hyper-parameters of forward-forward (Hinton 2022, "The Forward-Forward Algorithm: Some Preliminary
/// Investigations", arXiv:2212.13345). Defaults follow the public PyTorch reference of mohammadpz
/// (pytorch_forward_forward): goodness = mean of squared ReLU activities, θ = 2, label "on" value 1.
/// </summary>
public sealed record ForwardForwardOptions
{
    /// <summary>
    /// θ, the goodness threshold: a layer's loss is softplus(θ − g) on positive data and softplus(g − θ) on negative
    /// data. With goodness as a mean (not a sum) θ does not scale with the layer's width.
    /// </summary>
    public float Threshold { get; init; } = 2f;

    /// <summary>
    /// The value written into the true label's pixel (the other label pixels are 0); null (the default): the largest
    /// |feature| of the first training batch, as mohammadpz's x.max() — the brightest pixel, 1 for Hinton's [0, 1]
    /// MNIST — so the label is as visible as the image whatever the data's scale. The net keeps the value it used.
    /// </summary>
    public float? LabelValue { get; init; }

    /// <summary>
    /// Whether the first hidden layer counts in the goodness sum and the read-out. True (the default) as the
    /// mohammadpz reference, which sums every layer. Hinton leaves it out ("all but the first hidden layer"); in our
    /// digits runs of a 2-layer net that variant (layer 2's goodness alone) predicted below chance (3–4 %), not
    /// understood yet, so it is an option (score_first=false) and not the default. A net with one hidden layer always
    /// scores that layer.
    /// </summary>
    public bool ScoreFirstLayer { get; init; } = true;

    /// <summary>How the net classifies (its Forward's output).</summary>
    public ForwardForwardPrediction Prediction { get; init; } = ForwardForwardPrediction.Goodness;

    /// <summary>Throws when a value is out of range; the message names the option.</summary>
    public void Validate()
    {
        if (!(Threshold > 0) || !float.IsFinite(Threshold)) throw new InvalidInputException($"ff theta must be a positive finite number; got {Threshold.ToString(CultureInfo.InvariantCulture)}.", nameof(Threshold));
        if (LabelValue is float l && (!(l > 0) || !float.IsFinite(l))) throw new InvalidInputException($"ff label must be a positive finite number; got {l.ToString(CultureInfo.InvariantCulture)}.", nameof(LabelValue));
    }
}
