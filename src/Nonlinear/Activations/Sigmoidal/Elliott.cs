using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x/(2(1 + |x|)) + 1/2; f′ = 1/(2(1 + |x|)²). The softsign mapped to (0, 1).
/// Elliott, "A Better Activation Function for Artificial Neural Networks", 1993.
/// </summary>
internal readonly struct Elliott : IActivationKernel, IReferenceSecondDerivative<Elliott>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Elliott>(new()
    {
        Name = "elliott", Aliases = ["elliott_sigmoid"], Family = "sigmoid",
        Formula = "x/(2·(1 + |x|)) + 1/2",
        Derivative = "1/(2·(1 + |x|)²)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "A Better Activation Function for Artificial Neural Networks", Year = 1993,
        Notes = "Evaluated as 0.5/(1 + |x|) for x < 0 and (0.5 + x)/(1 + x) otherwise: the left tail keeps relative accuracy (no 1/2 − 1/2 cancellation). C¹, not C² at 0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V one = V.Create(1f);
        V num = V.Select(V.LessThan(x, V.Create(0f)), V.Create(0.5f), V.Create(0.5f) + x);
        V y = num / (one + V.Abs(x));
        return V.Select(V.Equals(x, V.Create(float.PositiveInfinity)), one, y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V d = V.Create(1f) + V.Abs(x);
        return V.Create(0.5f) / (d * d);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        x < 0 ? 0.5 / (1 - x) : double.IsPositiveInfinity(x) ? 1 : (0.5 + x) / (1 + x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0.5 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x)));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double r = 1 / (1 + Math.Abs(x));
        return x > 0 ? -r * r * r : x < 0 ? r * r * r : 0 * x;
    }
}
