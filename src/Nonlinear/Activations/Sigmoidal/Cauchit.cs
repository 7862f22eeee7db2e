using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = 1/2 + atan(x)/π, the Cauchy CDF; f′ = 1/(π·(1 + x²)). The gate of ATLU.
/// </summary>
internal readonly struct Cauchit : IActivationKernel, IReferenceSecondDerivative<Cauchit>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Cauchit>(new()
    {
        Name = "cauchit", Aliases = ["cauchy_cdf"], Family = "sigmoid",
        Formula = "1/2 + atan(x)/π",
        Derivative = "1/(π·(1 + x²))",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "For x < 0 evaluated as atan(−1/x)/π (= 1/2 + atan(x)/π without the cancellation), so the heavy left tail (≈ 1/(π|x|)) keeps relative accuracy.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => Atlu.Gate(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(0.318309886f) / V.Fma(x, x, V.Create(1f));
    /// <inheritdoc/>
    public double Reference(double x) => Atlu.ReferenceGate(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1 / (Math.PI * (1 + x * x));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double r = 1 / (1 + x * x);
        return -2 * x * r * r / Math.PI;
    }
}
