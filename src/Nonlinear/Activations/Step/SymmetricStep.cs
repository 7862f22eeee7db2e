using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? 1 : −1; f′ = 0 (a Dirac mass at 0, not representable). Rosenblatt, "The perceptron: a probabilistic
/// model for information storage and organization in the brain", 1958.
/// </summary>
internal readonly struct SymmetricStep : IActivationKernel, IPiecewiseLinear<SymmetricStep>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<SymmetricStep>(new ActivationInfo
    {
        Name = "symmetric_step", Aliases = ["hardlims", "bipolar_step"], Family = "step",
        Formula = "x ≥ 0 ? 1 : −1",
        Derivative = "0 (a Dirac mass at 0, not representable)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "The perceptron: a probabilistic model for information storage and organization in the brain", Year = 1958,
        Notes = "MATLAB hardlims; f(±0) = 1 (unlike sign). The derivative is 0 where it exists.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.IsNaN(x), x, V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), V.Create(1f), V.Create(-1f)));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(0f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x >= 0 ? 1 : -1;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
}
