using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? 1 : −1; f′ = 0 (backward uses |x| ≤ 1 ? 1 : 0). Courbariaux et al., "Binarized Neural Networks:
/// Training Deep Neural Networks with Weights and Activations Constrained to +1 or -1", 2016.
/// </summary>
internal readonly struct SignSte : IActivationKernel, ISurrogateBackwardKernel
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<SignSte>(new ActivationInfo
    {
        Name = "sign_ste", Aliases = ["binarize", "bnn_sign"], Family = "step",
        Formula = "x ≥ 0 ? 1 : −1",
        Derivative = "0 (backward uses |x| ≤ 1 ? 1 : 0)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Binarized Neural Networks: Training Deep Neural Networks with Weights and Activations Constrained to +1 or -1", Year = 2016,
        Notes = "The binarised-network activation: forward sign with f(0) = +1, backward the straight-through estimator of hard_tanh (dx = dy·[|x| ≤ 1]). BackwardIsExact = false; ReferenceDerivative is the exact derivative, 0.",
        BackwardIsExact = false,
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.IsNaN(x), x, V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), V.Create(1f), V.Create(-1f)));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.LessThanOrEqual(V.Abs(x), V.Create(1f)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x >= 0 ? 1 : -1;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => Math.Abs(x) <= 1 ? 1 : 0;
}
