using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (1 − e^−x)/(1 + e^−x) = tanh(x/2); f′ = 2e/(1 + e)² with e = e^−|x| (= 2σ(x)σ(−x)).
/// The sigmoid rescaled to (−1, 1), as in the survey (Kunc and Kléma, 2024).
/// </summary>
internal readonly struct BipolarSigmoid : IActivationKernel, IReferenceSecondDerivative<BipolarSigmoid>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<BipolarSigmoid>(new()
    {
        Name = "bipolar_sigmoid", Aliases = ["bipolar"], Family = "sigmoid",
        Formula = "(1 − exp(−x))/(1 + exp(−x)) = tanh(x/2)",
        Derivative = "(1 − y²)/2 = 2σ(x)σ(−x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "Evaluated as tanh(x/2) (no cancellation near 0); backward as 2e/(1 + e)², e = exp(−|x|), which keeps relative accuracy in the tails where (1 − y²)/2 cancels.",
        PyTorch = "2·torch.sigmoid(x) − 1",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Tanh(V.Create(0.5f) * x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V e = VMath.Exp(-V.Abs(x));
        V d = V.Create(1f) + e;
        return V.Create(2f) * e / (d * d);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Tanh(0.5 * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        return 2 * e / ((1 + e) * (1 + e));
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => -Math.Tanh(0.5 * x) * ReferenceDerivative(x);
}
