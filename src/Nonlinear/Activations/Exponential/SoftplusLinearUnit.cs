using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x for x ≥ 0, 2·ln((1 + eˣ)/2) otherwise; f′ = 1 or 2σ(x).
/// Zhao et al., "A novel softplus linear unit for deep convolutional neural networks", 2018.
/// </summary>
internal readonly struct SoftplusLinearUnit : IActivationKernel, IReferenceSecondDerivative<SoftplusLinearUnit>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<SoftplusLinearUnit>(new()
    {
        Name = "slu", Aliases = ["softplus_linear_unit"], Family = "softplus",
        Formula = "x ≥ 0 ? x : 2·ln(1 + exp(x)) − 2·ln(2)",
        Derivative = "x ≥ 0 ? 1 : 2·σ(x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "A novel softplus linear unit for deep convolutional neural networks", Year = 2018,
        Notes = "alpha = 1, beta = 2, gamma = 2·ln 2 of the paper, so that f is C¹ at 0. The negative side as 2·log1p(expm1(x)/2): no cancellation near 0. Range (−2 ln 2, ∞).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), V.Create(2f) * VMath.Log1p(V.Create(0.5f) * VMath.Expm1(V.Min(x, V.Create(0f)))), x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), V.Create(2f) * VMath.Sigmoid(x), V.Create(1f));
    /// <inheritdoc/>
    public double Reference(double x) => x < 0 ? 2 * DoubleMath.Log1p(0.5 * DoubleMath.Expm1(x)) : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x < 0 ? 2 * DoubleMath.Sigmoid(x) : 1;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => x < 0 ? 2 * SecondDerivativeMath.SigmoidSlope(x) : double.IsNaN(x) ? x : 0;
}
