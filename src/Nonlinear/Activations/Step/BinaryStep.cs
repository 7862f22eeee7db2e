using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? 1 : 0; f′ = 0 (a Dirac mass at 0, not representable). McCulloch and Pitts, "A Logical Calculus of the
/// Ideas Immanent in Nervous Activity", 1943.
/// </summary>
internal readonly struct BinaryStep : IActivationKernel, IPiecewiseLinear<BinaryStep>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<BinaryStep>(new ActivationInfo
    {
        Name = "binary_step", Aliases = ["step", "hardlim"], Family = "step",
        Formula = "x ≥ 0 ? 1 : 0",
        Derivative = "0 (a Dirac mass at 0, not representable)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "A Logical Calculus of the Ideas Immanent in Nervous Activity", Year = 1943,
        Notes = "The threshold unit; MATLAB hardlim. f(±0) = 1. Its derivative is 0 everywhere it exists, so backward passes no gradient: train through sign_ste / round_ste or a surrogate instead.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.IsNaN(x), x, V.GreaterThanOrEqual(x, V.Create(0f)) & V.Create(1f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(0f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x >= 0 ? 1 : 0;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
}
