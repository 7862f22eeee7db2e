using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, x)²; f′ = 2·max(0, x). So et al., "Primer: Searching for Efficient Transformers for Language
/// Modeling", 2021.
/// </summary>
internal readonly struct ReluSquared : IActivationKernel, IReferenceSecondDerivative<ReluSquared>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<ReluSquared>(new ActivationInfo
    {
        Name = "relu_squared", Aliases = ["squared_relu", "relu2", "requ"], Family = "relu",
        Formula = "max(0, x)²",
        Derivative = "2·max(0, x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Primer: Searching for Efficient Transformers for Language Modeling", Year = 2021,
        Notes = "C¹ (f″ jumps at 0). Overflows to +∞ in float32 for x > 1.8e19, where the true value exceeds float range.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V r = V.Max(x, V.Create(0f));
        return r * r;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V r = V.Max(x, V.Create(0f));
        return r + r;
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double r = Math.Max(x, 0);
        return r * r;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 2 * Math.Max(x, 0);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > 0 ? 2 : 0;
}
