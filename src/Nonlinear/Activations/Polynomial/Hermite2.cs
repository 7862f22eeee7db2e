using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (x² − 1)/√2; f′ = √2·x. Khalfaoui-Hassani and Kesselheim, "Polynomial, trigonometric, and tropical
/// activations", 2025.
/// </summary>
internal readonly struct Hermite2 : IActivationKernel, IReferenceSecondDerivative<Hermite2>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Hermite2>(new ActivationInfo
    {
        Name = "hermite2", Aliases = ["he2"], Family = "polynomial",
        Formula = "(x² − 1)/√2",
        Derivative = "√2·x",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Polynomial, trigonometric, and tropical activations", Year = 2025,
        Notes = "The probabilists' Hermite polynomial He₂ normalised to unit variance under N(0, 1) (orthonormal basis element). x² − 1 is one fused multiply-add (no cancellation near ±1).",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Fma(x, x, V.Create(-1f)) * V.Create(0.70710678f);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        x * V.Create(1.41421356f);
    /// <inheritdoc/>
    public double Reference(double x) => (x * x - 1) / Math.Sqrt(2);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Sqrt(2) * x;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => Math.Sqrt(2);
}
