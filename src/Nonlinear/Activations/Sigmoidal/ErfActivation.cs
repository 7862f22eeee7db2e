using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = erf(x); f′ = (2/√π)·e^(−x²). Equivalent to torch.erf (our VMath.Erf, within 2 ulp).
/// </summary>
internal readonly struct ErfActivation : IActivationKernel, IReferenceSecondDerivative<ErfActivation>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<ErfActivation>(new()
    {
        Name = "erf", Family = "sigmoid",
        Formula = "erf(x)",
        Derivative = "(2/√π)·exp(−x²)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "x² is split exactly (hi + lo) before the exponential, so the derivative keeps relative accuracy in the tails.",
        PyTorch = "torch.erf",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Erf(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(1.12837917f) * SmoothMath.ExpNegSquare(x, 1f);
    /// <inheritdoc/>
    public double Reference(double x) => DoubleMath.Erf(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1.1283791670955126 * Math.Exp(-x * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsInfinity(x) ? 0 : -2 * x * ReferenceDerivative(x);
}
