using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>
/// A way to fill the parameters' gradients for one batch other than backpropagating the loss end to end (feedback
/// alignment, …). The trainer calls it instead of loss.Backward() and then steps its optimizer as usual.
/// </summary>
public interface IGradientRule
{
    /// <summary>Runs the model on <paramref name="x"/>, adds the rule's gradients into the parameters' Grad, and returns the logits and the cross-entropy loss (no graph attached).</summary>
    (Tensor Logits, Tensor Loss) Compute(Module model, Tensor x, int[] labels, float labelSmoothing);
}
