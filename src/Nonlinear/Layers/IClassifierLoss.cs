using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// A classifier whose training loss is not the cross-entropy of its output scores: a spiking network trained on its
/// output membrane at every time step (snnTorch tutorial 5) but predicting by spike count. The trainer and the
/// evaluation call it instead of <c>Loss.CrossEntropy(model.Call(x), labels)</c>.
/// </summary>
public interface IClassifierLoss
{
    /// <summary>The scores [B, C] that predict (argmax) and the scalar training loss of one batch, on the autograd graph.</summary>
    (Tensor Scores, Tensor Loss) ScoresAndLoss(Tensor x, int[] labels, float labelSmoothing);
}
