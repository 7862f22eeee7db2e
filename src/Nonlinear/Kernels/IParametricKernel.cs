namespace Nonlinear.Kernels;

/// <summary>An elementwise function f(x; θ) that also gives ∂f/∂θ_k lane-wise, for <see cref="ParameterDriver"/>.</summary>
internal interface IParametricKernel
{
    /// <summary>∂f/∂θ_<paramref name="index"/> lane-wise, given x and y = f(x).</summary>
    V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>;
}
