using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// A kernel with hyper-parameters θ that also knows ∂f/∂θ_k, so any parametric catalog entry can be trained with its
/// parameters learnable and the contract suite can check those derivatives by finite differences.
/// </summary>
public interface IParametricActivationKernel : IActivationKernel
{
    /// <summary>∂f/∂θ_<paramref name="index"/> lane-wise, given x and y = f(x) (index in <see cref="ActivationInfo.Parameters"/> order).</summary>
    V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>;

    /// <summary>∂f/∂θ_<paramref name="index"/> in double precision (at kinks: the convention in <see cref="ActivationInfo.Notes"/>).</summary>
    double ReferenceParameterDerivative(double x, int index);
}
