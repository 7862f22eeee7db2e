using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = eˣ; f′ = eˣ = y. Equivalent to keras.activations.exponential and torch.exp.
/// </summary>
internal readonly struct Exponential : IActivationKernel, IReferenceSecondDerivative<Exponential>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Exponential>(new()
    {
        Name = "exponential", Aliases = ["exp"], Family = "exponential",
        Formula = "exp(x)",
        Derivative = "y",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Output,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "Overflows to +∞ above 88.72 (float), as the function does; the gradient is read from the output.",
        PyTorch = "torch.exp",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => y;
    /// <inheritdoc/>
    public double Reference(double x) => Math.Exp(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Exp(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => Math.Exp(x);
}
