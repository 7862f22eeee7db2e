using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = ln σ(x) = −softplus(−x) = min(x, 0) − log1p(e^(−|x|)); f′ = σ(−x). Equivalent to torch.nn.LogSigmoid.
/// </summary>
internal readonly struct LogSigmoid : IActivationKernel, IReferenceSecondDerivative<LogSigmoid>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<LogSigmoid>(new()
    {
        Name = "log_sigmoid", Aliases = ["logsigmoid"], Family = "sigmoid",
        Formula = "−ln(1 + exp(−x))", Derivative = "σ(−x) = 1 − σ(x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove,
        Uses = BackwardUses.Input,
        Notes = "Stable form −softplus(−x): exactly x for x ≪ 0, tiny and relatively accurate for x ≫ 0. Backward reads x: "
              + "1 − exp(y) would cancel as y → 0.",
        PyTorch = "torch.nn.LogSigmoid",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => -VMath.Softplus(-x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => VMath.Sigmoid(-x);
    /// <inheritdoc/>
    public double Reference(double x) => -DoubleMath.Softplus(-x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => DoubleMath.Sigmoid(-x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => -SecondDerivativeMath.SigmoidSlope(x);
}
