using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sech(x) = 2/(eˣ + e^−x); f′ = −sech(x)·tanh(x).
/// </summary>
internal readonly struct Sech : IActivationKernel, IReferenceSecondDerivative<Sech>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Sech>(new()
    {
        Name = "sech", Aliases = ["hyperbolic_secant"], Family = "radial",
        Formula = "2/(exp(x) + exp(−x))",
        Derivative = "−sech(x)·tanh(x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "2e/(1 + e²) with e = exp(−|x|): no overflow, relative accuracy in the tails.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V e = VMath.Exp(-V.Abs(x));
        return V.Create(2f) * e / V.Fma(e, e, V.Create(1f));
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V e = VMath.Exp(-V.Abs(x));
        return -(V.Create(2f) * e / V.Fma(e, e, V.Create(1f))) * VMath.Tanh(x);
    }
    /// <inheritdoc/>
    public double Reference(double x) => 1 / Math.Cosh(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => -Math.Tanh(x) / Math.Cosh(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double s = 1 / Math.Cosh(x);
        return s * (1 - 2 * s * s);
    }
}
