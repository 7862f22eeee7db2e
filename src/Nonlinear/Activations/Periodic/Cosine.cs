using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = cos(x); f′ = −sin(x). Equivalent to torch.cos.
/// </summary>
internal readonly struct Cosine : IActivationKernel, IReferenceSecondDerivative<Cosine>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Cosine>(new()
    {
        Name = "cosine", Aliases = ["cos"], Family = "periodic",
        Formula = "cos(x)",
        Derivative = "−sin(x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.Periodic,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "Oscillates without a limit: NaN at ±∞. Accurate for |x| ≤ 1e6 (VMath.Sin/Cos); beyond, bounded but no longer accurate.",
        PyTorch = "torch.cos",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Cos(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => -VMath.Sin(x);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Cos(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => -Math.Sin(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => -Math.Cos(x);
}
