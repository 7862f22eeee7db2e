using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·(1 − exp(−eˣ)) (x times the complementary log-log gate); f′ = (1 − exp(−eˣ)) + x·eˣ·exp(−eˣ).
/// </summary>
internal readonly struct Loglogish : IActivationKernel, IReferenceSecondDerivative<Loglogish>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Loglogish>(new()
    {
        Name = "loglogish", Family = "gated",
        Formula = "x·(1 − exp(−exp(x)))",
        Derivative = "1 − exp(−exp(x)) + x·exp(x − exp(x))",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "The gate is −expm1(−eˣ) (relative accuracy where it is tiny). loglogish(−∞) = −0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * -VMath.Expm1(-VMath.Exp(x));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(80f));
        V u = VMath.Exp(xc);
        return V.Fma(xc * u, VMath.Exp(-u), -VMath.Expm1(-u));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * -DoubleMath.Expm1(-Math.Exp(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double u = Math.Exp(x);
        return -DoubleMath.Expm1(-u) + (double.IsInfinity(u) ? 0 : x * u * Math.Exp(-u));
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double u = Math.Exp(x);
        if (double.IsInfinity(u)) return 0;
        double ue = u * Math.Exp(-u);
        return ue == 0 ? 0 : ue * (2 + x * (1 - u));
    }
}
