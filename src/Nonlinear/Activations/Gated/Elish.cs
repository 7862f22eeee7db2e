using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·σ(x) for x ≥ 0, (eˣ − 1)·σ(x) otherwise; f′ = σ(x)·(1 + x·σ(−x)) or σ(x)·(eˣ + (eˣ − 1)·σ(−x)).
/// Basirat and Roth, "The Quest for the Golden Activation Function", 2018.
/// </summary>
internal readonly struct Elish : IActivationKernel, IReferenceSecondDerivative<Elish>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Elish>(new()
    {
        Name = "elish", Family = "gated",
        Formula = "x ≥ 0 ? x·σ(x) : (exp(x) − 1)·σ(x)",
        Derivative = "x ≥ 0 ? σ(x)·(1 + x·σ(−x)) : σ(x)·(exp(x) + (exp(x) − 1)·σ(−x))",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "The Quest for the Golden Activation Function", Year = 2018,
        Notes = "C¹ at 0 (both sides have f′ = 1/2). The negative side uses expm1 (relative accuracy near 0) and never evaluates exp of a positive argument.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        var (s, _) = SmoothMath.SigmoidPair(x);
        V neg = VMath.Expm1(V.Min(x, V.Create(0f))) * s;
        return V.Select(V.LessThan(x, V.Create(0f)), neg, new Silu(1f).Forward(x));
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s, sm) = SmoothMath.SigmoidPair(x);
        V xn = V.Min(x, V.Create(0f));
        V neg = s * V.Fma(VMath.Expm1(xn), sm, VMath.Exp(xn));
        return V.Select(V.LessThan(x, V.Create(0f)), neg, new Silu(1f).Derivative(x, y));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        x < 0 ? DoubleMath.Expm1(x) * DoubleMath.Sigmoid(x) : new Silu(1f).Reference(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        x < 0 ? DoubleMath.Sigmoid(x) * (Math.Exp(x) + DoubleMath.Expm1(x) * DoubleMath.Sigmoid(-x)) : new Silu(1f).ReferenceDerivative(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsNegativeInfinity(x)) return 0;
        if (x >= 0) return SecondDerivativeMath.SiluSecond(x);
        double s = DoubleMath.Sigmoid(x), sm = DoubleMath.Sigmoid(-x), ex = Math.Exp(x);
        return ex * s * (1 + 2 * sm) + DoubleMath.Expm1(x) * s * sm * (sm - s);
    }
}
