using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x³; f′ = 3x². Chen and Manning, "A Fast and Accurate Dependency Parser using Neural Networks", 2014.
/// </summary>
internal readonly struct Cube : IActivationKernel, IReferenceSecondDerivative<Cube>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Cube>(new ActivationInfo
    {
        Name = "cube", Aliases = ["cubic"], Family = "polynomial",
        Formula = "x³",
        Derivative = "3x²",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "A Fast and Accurate Dependency Parser using Neural Networks", Year = 2014,
        Notes = "Captures three-way feature interactions in one layer. Overflows to ±∞ in float32 for |x| > 7e12.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        x * x * x;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(3f) * (x * x);
    /// <inheritdoc/>
    public double Reference(double x) => x * x * x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 3 * x * x;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => 6 * x;
}
