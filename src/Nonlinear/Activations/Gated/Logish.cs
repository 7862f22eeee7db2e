using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·ln(1 + σ(x)); f′ = ln(1 + σ(x)) + x·σ(x)σ(−x)/(1 + σ(x)).
/// Zhu et al., "Logish: A new nonlinear nonmonotonic activation function for convolutional neural network", 2021.
/// </summary>
internal readonly struct Logish : IActivationKernel, IReferenceSecondDerivative<Logish>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Logish>(new()
    {
        Name = "logish", Family = "gated",
        Formula = "x·ln(1 + σ(x))",
        Derivative = "ln(1 + σ(x)) + x·σ(x)·σ(−x)/(1 + σ(x))",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Logish: A new nonlinear nonmonotonic activation function for convolutional neural network", Year = 2021,
        Notes = "log1p keeps relative accuracy in the left tail (σ tiny). logish(−∞) = −0; f′(+∞) = ln 2.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * VMath.Log1p(VMath.Sigmoid(x));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-200f)), V.Create(200f));
        var (s, sm) = SmoothMath.SigmoidPair(xc);
        return VMath.Log1p(s) + xc * s * sm / (V.Create(1f) + s);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * DoubleMath.Log1p(DoubleMath.Sigmoid(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? Math.Log(2) : 0;
        double s = DoubleMath.Sigmoid(x);
        return DoubleMath.Log1p(s) + x * s * DoubleMath.Sigmoid(-x) / (1 + s);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // q = σσ̄/(1 + σ): f′ = ln(1 + σ) + x·q, f″ = 2q + x·q′, q′ = σσ̄·((σ̄ − σ)(1 + σ) − σσ̄)/(1 + σ)².
        if (double.IsInfinity(x)) return 0;
        double s = DoubleMath.Sigmoid(x), sm = DoubleMath.Sigmoid(-x), ss = SecondDerivativeMath.SigmoidSlope(x), p = 1 + s;
        return 2 * ss / p + x * ss * ((sm - s) * p - ss) / (p * p);
    }
}
