using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x for x &gt; 0, x·eˣ otherwise; f′ = 1 or eˣ·(1 + x).
/// Ying et al., "Rectified Exponential Units for Convolutional Neural Networks", 2019.
/// </summary>
internal readonly struct Reu : IActivationKernel, IReferenceSecondDerivative<Reu>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Reu>(new()
    {
        Name = "reu", Aliases = ["rectified_exponential_unit"], Family = "exponential",
        Formula = "x > 0 ? x : x·exp(x)",
        Derivative = "x > 0 ? 1 : exp(x)·(1 + x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Rectified Exponential Units for Convolutional Neural Networks", Year = 2019,
        Notes = "C¹ at 0 (both sides have slope 1). Minimum −1/e at x = −1; reu(−∞) = −0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = V.Select(V.GreaterThan(x, V.Create(0f)), x, x * VMath.Exp(V.Min(x, V.Create(0f))));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xn = V.Max(V.Min(x, V.Create(0f)), V.Create(-200f));
        return V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), VMath.Exp(xn) * (V.Create(1f) + xn));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x > 0 ? x : x * Math.Exp(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        double.IsNegativeInfinity(x) ? 0 : x > 0 ? 1 : Math.Exp(x) * (1 + x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNegativeInfinity(x) ? 0 : x > 0 ? 0 : Math.Exp(x) * (2 + x);
}
