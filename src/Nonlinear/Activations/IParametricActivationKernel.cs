using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// A kernel with hyper-parameters θ that also knows ∂f/∂θ_k (lane-wise, from <see cref="IParametricKernel"/>), so any
/// parametric catalog entry can be trained with its parameters learnable and the contract suite can check those
/// derivatives by finite differences. <see cref="ActivationEntry.Parametric{K}"/> requires it: a parametric entry
/// without ∂f/∂θ does not compile.
/// </summary>
internal interface IParametricActivationKernel : IActivationKernel, IParametricKernel
{
    /// <summary>∂f/∂θ_<paramref name="index"/> in double precision (at kinks: the convention in <see cref="ActivationInfo.Notes"/>).</summary>
    double ReferenceParameterDerivative(double x, int index);
}

/// <summary>
/// A kernel whose backward deliberately is not f′ (a straight-through or surrogate rule, e.g. HeLU). It states that rule
/// in double so tests can hold the float backward to it; its catalog entry must set <see cref="ActivationInfo.BackwardIsExact"/>
/// to false (checked when the entry is built).
/// </summary>
internal interface ISurrogateBackwardKernel : IActivationKernel
{
    /// <summary>The rule backward applies (dx = dy · ReferenceBackward(x)), in double precision.</summary>
    double ReferenceBackward(double x);
}
