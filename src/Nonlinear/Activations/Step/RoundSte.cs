using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = round(x) (ties to even); f′ = 0 (backward uses 1). Bengio, Léonard and Courville, "Estimating or Propagating
/// Gradients Through Stochastic Neurons for Conditional Computation", 2013.
/// </summary>
internal readonly struct RoundSte : IActivationKernel, ISurrogateBackwardKernel
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<RoundSte>(new ActivationInfo
    {
        Name = "round_ste", Aliases = ["straight_through_round"], Family = "step",
        Formula = "round(x) (ties to even)",
        Derivative = "0 (backward uses 1)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-12.5, -11.5, -10.5, -9.5, -8.5, -7.5, -6.5, -5.5, -4.5, -3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5],
        Paper = "Estimating or Propagating Gradients Through Stochastic Neurons for Conditional Computation", Year = 2013,
        Notes = "Rounding with the identity straight-through estimator (dx = dy), the building block of quantisation-aware training. BackwardIsExact = false; the exact derivative is 0 off the half-integers (listed as kinks on [−12.5, 12.5]).",
        BackwardIsExact = false,
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Round(x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Round(x, MidpointRounding.ToEven);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => 1;
}
