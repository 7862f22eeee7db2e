using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x²; f′ = 2x. Gilad-Bachrach et al., "CryptoNets: Applying Neural Networks to Encrypted Data with High
/// Throughput and Accuracy", 2016.
/// </summary>
internal readonly struct Square : IActivationKernel, IReferenceSecondDerivative<Square>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Square>(new ActivationInfo
    {
        Name = "square", Aliases = ["quadratic"], Family = "polynomial",
        Formula = "x²",
        Derivative = "2x",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "CryptoNets: Applying Neural Networks to Encrypted Data with High Throughput and Accuracy", Year = 2016,
        Notes = "The lowest-degree polynomial activation, evaluable under homomorphic encryption. Overflows to +∞ in float32 for |x| > 1.8e19.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        x * x;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        x + x;
    /// <inheritdoc/>
    public double Reference(double x) => x * x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 2 * x;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : 2;
}
