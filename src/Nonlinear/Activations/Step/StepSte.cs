using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? 1 : 0; f′ = 0 (backward uses 1). Bengio, Léonard and Courville, "Estimating or Propagating Gradients
/// Through Stochastic Neurons for Conditional Computation", 2013.
/// </summary>
internal readonly struct StepSte : IActivationKernel, ISurrogateBackwardKernel
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<StepSte>(new ActivationInfo
    {
        Name = "step_ste", Aliases = ["binary_step_ste"], Family = "step",
        Formula = "x ≥ 0 ? 1 : 0",
        Derivative = "0 (backward uses 1)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Estimating or Propagating Gradients Through Stochastic Neurons for Conditional Computation", Year = 2013,
        Notes = "The hard threshold unit trained with the identity straight-through estimator (dx = dy), as if the threshold were the identity. BackwardIsExact = false; the exact f′ is 0 (binary_step is the same forward with its exact derivative).",
        BackwardIsExact = false,
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.IsNaN(x), x, V.GreaterThanOrEqual(x, V.Create(0f)) & V.Create(1f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x >= 0 ? 1 : 0;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => 1;
}
