using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = σ(x)·(1 + x·(1 − σ(x))), the derivative of SiLU; f′ = σ(x)σ(−x)·(2 − x·tanh(x/2)).
/// Elfwing, Uchibe and Doya, "Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning", 2017.
/// </summary>
internal readonly struct Dsilu : IActivationKernel, IReferenceSecondDerivative<Dsilu>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Dsilu>(new()
    {
        Name = "dsilu", Aliases = ["silu_derivative"], Family = "sigmoid",
        Formula = "σ(x)·(1 + x·σ(−x))",
        Derivative = "σ(x)·σ(−x)·(2 − x·tanh(x/2))",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement Learning", Year = 2017,
        Notes = "σ(x) and σ(−x) come from one exponential (no 1 − σ cancellation). Range ≈ (−0.1, 1.1); dsilu(−∞) = 0, dsilu(+∞) = 1.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        var (s, sm) = SmoothMath.SigmoidPair(x);
        V y = s * V.Fma(x, sm, V.Create(1f));
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), s, y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s, sm) = SmoothMath.SigmoidPair(x);
        V d = s * sm * (V.Create(2f) - x * VMath.Tanh(V.Create(0.5f) * x));
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsInfinity(x) ? DoubleMath.Sigmoid(x) : DoubleMath.Sigmoid(x) * (1 + x * DoubleMath.Sigmoid(-x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        double.IsInfinity(x) ? 0 : DoubleMath.Sigmoid(x) * DoubleMath.Sigmoid(-x) * (2 - x * Math.Tanh(0.5 * x));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // silu‴ = σσ̄·(−3t + 3x·t²/2 − x/2) with t = tanh(x/2).
        if (double.IsInfinity(x)) return 0;
        double t = Math.Tanh(0.5 * x);
        return SecondDerivativeMath.SigmoidSlope(x) * (-3 * t + 1.5 * x * t * t - 0.5 * x);
    }
}
