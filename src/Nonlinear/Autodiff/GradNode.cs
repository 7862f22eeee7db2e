using Nonlinear.Tensors;

namespace Nonlinear.Autodiff;

/// <summary>
/// Computes the gradients of an op's inputs from the gradient of its output. Returns one entry per input,
/// null where the input needs no gradient. Each entry must have its input's shape.
/// </summary>
public delegate Tensor?[] BackwardRule(Tensor outputGrad);

/// <summary>One recorded op: its inputs and the rule that sends the output's gradient back to them.</summary>
internal sealed class GradNode(string name, Tensor[] inputs, BackwardRule rule)
{
    public string Name { get; } = name;
    public Tensor[] Inputs { get; } = inputs;
    public BackwardRule Rule { get; } = rule;
}
