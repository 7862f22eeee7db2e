using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (x³ − 3x)/√6; f′ = 3(x² − 1)/√6. Khalfaoui-Hassani and Kesselheim, "Polynomial, trigonometric, and tropical
/// activations", 2025.
/// </summary>
internal readonly struct Hermite3 : IActivationKernel, IReferenceSecondDerivative<Hermite3>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Hermite3>(new ActivationInfo
    {
        Name = "hermite3", Aliases = ["he3"], Family = "polynomial",
        Formula = "(x³ − 3x)/√6",
        Derivative = "3(x² − 1)/√6",
        Properties = ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Polynomial, trigonometric, and tropical activations", Year = 2025,
        Notes = "The probabilists' Hermite polynomial He₃ normalised to unit variance under N(0, 1). Evaluated as x·(x² − 3)/√6 with x² − 3 one fused multiply-add (no cancellation at ±√3).",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        x * V.Fma(x, x, V.Create(-3f)) * V.Create(0.40824829f);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Fma(x, x, V.Create(-1f)) * V.Create(1.22474487f);
    /// <inheritdoc/>
    public double Reference(double x) => x * (x * x - 3) / Math.Sqrt(6);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 3 * (x * x - 1) / Math.Sqrt(6);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => Math.Sqrt(6) * x;
}
