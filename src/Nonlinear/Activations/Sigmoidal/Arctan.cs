using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = atan(x); f′ = 1/(1 + x²). Equivalent to torch.atan (VMath.Atan, within 2 ulp).
/// </summary>
internal readonly struct Arctan : IActivationKernel, IReferenceSecondDerivative<Arctan>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Arctan>(new()
    {
        Name = "arctan", Aliases = ["atan"], Family = "sigmoid",
        Formula = "atan(x)",
        Derivative = "1/(1 + x²)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "Range (−π/2, π/2); the derivative is 0 (not NaN) at ±∞.",
        PyTorch = "torch.atan",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Atan(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(1f) / V.Fma(x, x, V.Create(1f));
    /// <inheritdoc/>
    public double Reference(double x) => Math.Atan(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1 / (1 + x * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double r = 1 / (1 + x * x);
        return -2 * x * r * r;
    }
}
