using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = λ·x for x ≥ 0, λ·α·x·eˣ otherwise (λ = 1.07862, α = 2.90427); f′ = λ or λ·α·eˣ·(1 + x).
/// Zhang and Li, "Effectiveness of Scaled Exponentially-Regularized Linear Units (SERLUs)", 2018.
/// </summary>
internal readonly struct Serlu : IActivationKernel, IReferenceSecondDerivative<Serlu>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Serlu>(new()
    {
        Name = "serlu", Family = "exponential",
        Formula = "x ≥ 0 ? lambda·x : lambda·alpha·x·exp(x)",
        Derivative = "x ≥ 0 ? lambda : lambda·alpha·exp(x)·(1 + x)",
        Properties = ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Effectiveness of Scaled Exponentially-Regularized Linear Units (SERLUs)", Year = 2018,
        Notes = "Self-normalising constants as float. The negative side has its minimum at x = −1 (non-monotonic) and returns to 0; f′ jumps at 0 (λ·α on the left, λ at 0).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V neg = x * VMath.Exp(V.Min(x, V.Create(0f))) * V.Create(Lambda * Alpha);
        V y = V.Select(V.LessThan(x, V.Create(0f)), neg, V.Create(Lambda) * x);
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xn = V.Max(V.Min(x, V.Create(0f)), V.Create(-200f));
        V neg = V.Create(Lambda * Alpha) * VMath.Exp(xn) * (V.Create(1f) + xn);
        return V.Select(V.LessThan(x, V.Create(0f)), neg, V.Create(Lambda));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x < 0 ? (double)Lambda * Alpha * x * Math.Exp(x) : (double)Lambda * x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        double.IsNegativeInfinity(x) ? 0 : x < 0 ? (double)Lambda * Alpha * Math.Exp(x) * (1 + x) : Lambda;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNegativeInfinity(x) ? 0 : x < 0 ? (double)Lambda * Alpha * Math.Exp(x) * (2 + x) : 0;

    private const float Lambda = 1.07862f, Alpha = 2.90427f;
}
