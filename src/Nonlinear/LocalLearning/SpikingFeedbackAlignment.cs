using Nonlinear.Layers;
using Nonlinear.Spiking;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>
/// Feedback alignment and direct feedback alignment for a <see cref="SpikingNetwork"/>: BPTT through the surrogate
/// gradient as usual, except that the error reaches each hidden layer's spikes through a fixed random matrix instead of
/// the transposed weight of the layer above. FA: hidden layer h receives δ_{h+1}[t]·B_h (B_h [C_{h+1}, N_h], the shape
/// of the weight above it; Lillicrap et al. 2016); DFA: it receives the output layer's error δ_out[t]·D_h (D_h [classes,
/// N_h]; Nøkland 2016), at every step t. Matrices are U(±1/√rows) from the rng, fixed. With one hidden layer the two
/// modes are the same rule (the layer above is the output layer).
/// </summary>
public sealed class SpikingFeedbackAlignment : IGradientRule
{
    private readonly SpikingNetwork _net;

    /// <summary>Draws the feedback matrices for <paramref name="net"/>.</summary>
    public SpikingFeedbackAlignment(SpikingNetwork net, FeedbackMode mode, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(rng);
        _net = net;
        Mode = mode;
        var layers = net.Layers;
        int classes = ((Linear)layers[^2]).OutFeatures;
        for (int i = 1; i + 1 < layers.Count; i += 2)
        {
            int rows = mode == FeedbackMode.Direct ? classes : ((Linear)layers[i + 1]).OutFeatures, cols = ((LifLayer)layers[i]).Neurons;
            double bound = 1 / Math.Sqrt(rows);
            Feedback.Add(Tensor.Rand(rng, [rows, cols], (float)-bound, (float)bound));
        }
    }

    /// <summary>The error pathway.</summary>
    public FeedbackMode Mode { get; }

    /// <summary>Per hidden layer h: B_h [C_{h+1}, N_h] (FA) or D_h [classes, N_h] (DFA). Fixed; replaceable in tests.</summary>
    public List<Tensor> Feedback { get; } = [];

    /// <inheritdoc/>
    public (Tensor Logits, Tensor Loss) Compute(Module model, Tensor x, int[] labels, float labelSmoothing)
    {
        if (!ReferenceEquals(model, _net))
            throw new ArgumentException("the rule was prepared for another network.", nameof(model));
        _net.Feedback = new SpikeFeedback(Mode == FeedbackMode.Direct, Feedback.ToArray());
        try
        {
            var (scores, loss) = _net.ScoresAndLoss(x, labels, labelSmoothing);
            loss.Backward();
            return (scores.Detach(), loss.Detach());
        }
        finally { _net.Feedback = null; }
    }
}
