using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = gd(x) = 2·atan(tanh(x/2)); f′ = sech(x). Range (−π/2, π/2).
/// </summary>
internal readonly struct Gudermannian : IActivationKernel, IReferenceSecondDerivative<Gudermannian>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Gudermannian>(new()
    {
        Name = "gudermannian", Aliases = ["gd"], Family = "sigmoid",
        Formula = "2·atan(tanh(x/2))",
        Derivative = "sech(x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "2·atan(tanh(x/2)) has no cancellation anywhere (2·atan(eˣ) − π/2 cancels near 0); sech(x) = 2e/(1 + e²) with e = exp(−|x|).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Create(2f) * VMath.Atan(VMath.Tanh(V.Create(0.5f) * x));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V e = VMath.Exp(-V.Abs(x));
        return V.Create(2f) * e / V.Fma(e, e, V.Create(1f));
    }
    /// <inheritdoc/>
    public double Reference(double x) => 2 * Math.Atan(Math.Tanh(0.5 * x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        return 2 * e / (1 + e * e);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => -Math.Tanh(x) * ReferenceDerivative(x);
}
