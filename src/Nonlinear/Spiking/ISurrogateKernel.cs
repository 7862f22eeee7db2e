using Nonlinear.Kernels;

namespace Nonlinear.Spiking;

/// <summary>
/// A surrogate derivative as a SIMD formula: the vectorised time loop (<see cref="LifKernel"/>) is specialised for each
/// implementing struct, and the surrogate's float <see cref="SurrogateGradient.Derivative"/> runs the same formula on
/// one <see cref="Scalar"/> lane, so the loop and the scalar derivative agree bit for bit on every tier.
/// </summary>
internal interface ISurrogateKernel
{
    /// <summary>∂S/∂u at each lane of <paramref name="u"/> (u = membrane − threshold).</summary>
    V Derivative<V>(V u) where V : struct, ISimdVec<V>;
}
