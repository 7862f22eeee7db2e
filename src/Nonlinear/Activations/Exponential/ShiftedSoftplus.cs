using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = ln(1 + eˣ) − ln 2 = ln((1 + eˣ)/2); f′ = σ(x).
/// Schütt et al., "SchNet: A continuous-filter convolutional neural network for modeling quantum interactions", 2017.
/// </summary>
internal readonly struct ShiftedSoftplus : IActivationKernel, IReferenceSecondDerivative<ShiftedSoftplus>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<ShiftedSoftplus>(new()
    {
        Name = "shifted_softplus", Aliases = ["ssp"], Family = "softplus",
        Formula = "ln(1 + exp(x)) − ln(2)",
        Derivative = "σ(x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "SchNet: A continuous-filter convolutional neural network for modeling quantum interactions", Year = 2017,
        Notes = "Evaluated as max(x, 0) + log1p(expm1(−|x|)/2): no cancellation near 0 (softplus − ln 2 loses all bits there), no overflow. Range (−ln 2, ∞).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Max(x, V.Create(0f)) + VMath.Log1p(V.Create(0.5f) * VMath.Expm1(-V.Abs(x)));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => VMath.Sigmoid(x);
    /// <inheritdoc/>
    public double Reference(double x) =>
        Math.Max(x, 0) + DoubleMath.Log1p(0.5 * DoubleMath.Expm1(-Math.Abs(x)));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => DoubleMath.Sigmoid(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => SecondDerivativeMath.SigmoidSlope(x);
}
