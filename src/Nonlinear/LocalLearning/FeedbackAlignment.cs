using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>Which error pathway <see cref="FeedbackAlignment"/> uses.</summary>
public enum FeedbackMode
{
    /// <summary>
    /// Feedback alignment (Lillicrap et al. 2016): the error reaches layer k−1 as δₖ·Bₖ with a fixed random Bₖ of Wₖ's
    /// shape instead of δₖ·Wₖ.
    /// </summary>
    Feedback,
    /// <summary>Direct feedback alignment (Nøkland 2016): every hidden layer k receives the output error directly, δ_out·Dₖ.</summary>
    Direct,
}

/// <summary>
/// Trains an MLP (a <see cref="Sequential"/> of Linear, activation modules, …, Linear) with fixed random feedback
/// matrices instead of the transposed forward weights. Each block's local derivatives (the activation's f′, the
/// Linear's weight and bias gradients) still come from autograd, but on a graph cut at every block input, so no
/// gradient crosses a layer through the forward weights. Feedback matrices are U(±1/√fan_out) from the rng, fixed.
/// </summary>
public sealed class FeedbackAlignment : IGradientRule
{
    private readonly List<(Linear Linear, Module[] After)> _blocks = [];

    /// <summary>Prepares the feedback matrices for <paramref name="model"/>.</summary>
    /// <exception cref="InvalidInputException">The model is not an MLP (a Sequential that starts with a Linear and ends with one).</exception>
    public FeedbackAlignment(Module model, FeedbackMode mode, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (model is not Sequential seq || seq.Count == 0 || seq[0] is not Linear || seq[seq.Count - 1] is not Linear)
            throw new InvalidInputException($"feedback alignment trains MLPs (Linear, activation, …, Linear); got {model?.GetType().Name}.", nameof(model));
        Mode = mode;
        for (int i = 0; i < seq.Count;)
        {
            var linear = (Linear)seq[i++];
            var after = new List<Module>();
            while (i < seq.Count && seq[i] is not Linear) after.Add(seq[i++]);
            _blocks.Add((linear, after.ToArray()));
        }
        int classes = _blocks[^1].Linear.OutFeatures;
        for (int k = 0; k < _blocks.Count; k++)
        {
            var (lin, _) = _blocks[k];
            // FA: B for every layer but the first (its error goes nowhere); DFA: D [classes, width] for every hidden layer.
            int rows = mode == FeedbackMode.Feedback ? lin.OutFeatures : classes, cols = mode == FeedbackMode.Feedback ? lin.InFeatures : lin.OutFeatures;
            bool needed = mode == FeedbackMode.Feedback ? k > 0 : k < _blocks.Count - 1;
            double bound = 1 / Math.Sqrt(rows);
            Feedback.Add(needed ? Tensor.Rand(rng, [rows, cols], (float)-bound, (float)bound) : null);
        }
    }

    /// <summary>The error pathway.</summary>
    public FeedbackMode Mode { get; }

    /// <summary>
    /// Per Linear layer: FA — Bₖ [out, in] carrying layer k's error to layer k−1 (null for the first layer); DFA — Dₖ
    /// [classes, out] carrying the output error to hidden layer k (null for the output layer). Fixed; replaceable in tests.
    /// </summary>
    public List<Tensor?> Feedback { get; } = [];

    /// <inheritdoc/>
    public (Tensor Logits, Tensor Loss) Compute(Module model, Tensor x, int[] labels, float labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(x);
        int n = _blocks.Count;
        var pre = new Tensor[n];      // Linear outputs, each on a graph that starts at its detached input
        var cut = new Tensor[n];      // the same values as leaves, where the activation's graph starts
        var post = new Tensor[n];     // block outputs
        var h = x;
        for (int k = 0; k < n; k++)
        {
            var (lin, after) = _blocks[k];
            pre[k] = lin.Call(h.Detach());
            cut[k] = pre[k].Detach().RequireGrad();
            var y = cut[k];
            foreach (var m in after) y = m.Call(y);
            post[k] = y;
            h = y;
        }
        var logits = post[n - 1];
        var loss = Loss.CrossEntropy(logits, labels, labelSmoothing);
        loss.Backward();
        var deltaOut = cut[n - 1].Grad!; // dL/d(output Linear's pre-activation)
        pre[n - 1].Backward(deltaOut);
        var error = Mode == FeedbackMode.Feedback ? Ops.MatMul(deltaOut, Feedback[n - 1]!) : null;
        for (int k = n - 2; k >= 0; k--)
        {
            var e = Mode == FeedbackMode.Feedback ? error! : Ops.MatMul(deltaOut, Feedback[k]!);
            post[k].Backward(e);          // through the activation only: f′(a)·e lands in cut[k].Grad
            var delta = cut[k].Grad!;
            pre[k].Backward(delta);       // Linear's weight and bias gradients; its input is detached
            if (Mode == FeedbackMode.Feedback && k > 0) error = Ops.MatMul(delta, Feedback[k]!);
        }
        return (logits.Detach(), loss.Detach());
    }
}
