using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &lt; 0 ? (exp(x) − 1)·h(x) : x·h(x),  h(x) = max(0, min(1, (x + 1)/2)); f′ = x &lt; 0 ? exp(x)·h + (exp(x)
/// − 1)·h′ : h + x·h′,  h′ = −1 &lt; x &lt; 1 ? 1/2 : 0. Basirat and Roth, "The Quest for the Golden Activation
/// Function", 2018.
/// </summary>
internal readonly struct HardElish : IActivationKernel, IReferenceSecondDerivative<HardElish>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<HardElish>(new ActivationInfo
    {
        Name = "hard_elish", Aliases = ["hardelish"], Family = "hard",
        Formula = "x < 0 ? (exp(x) − 1)·h(x) : x·h(x),  h(x) = max(0, min(1, (x + 1)/2))",
        Derivative = "x < 0 ? exp(x)·h + (exp(x) − 1)·h′ : h + x·h′,  h′ = −1 < x < 1 ? 1/2 : 0",
        Properties = ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [-1.0, 1.0],
        Paper = "The Quest for the Golden Activation Function", Year = 2018,
        Notes = "ELiSH with the sigmoid replaced by a hard sigmoid: 0 below −1, a negative dip on (−1, 0), x·(x + 1)/2 on [0, 1), x above. C¹ at 0 (f′ = 1/2 from both sides); f′ jumps at ±1, where h′ is taken as 0. exp − 1 is expm1 of min(x, 0), so the positive side never evaluates exp.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V h = V.Min(V.Max((x + V.Create(1f)) * V.Create(0.5f), V.Create(0f)), V.Create(1f));
        V neg = VMath.Expm1(V.Min(x, V.Create(0f))) * h;
        return V.Select(V.LessThan(x, V.Create(0f)), neg, x * h);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V h = V.Min(V.Max((x + V.Create(1f)) * V.Create(0.5f), V.Create(0f)), V.Create(1f));
        V dh = V.GreaterThan(x, V.Create(-1f)) & V.LessThan(x, V.Create(1f)) & V.Create(0.5f);
        V xm = V.Min(x, V.Create(0f));
        V neg = V.Fma(VMath.Exp(xm), h, VMath.Expm1(xm) * dh);
        return V.Select(V.LessThan(x, V.Create(0f)), neg, V.Fma(V.Min(x, V.Create(1f)), dh, h));
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double h = Math.Min(Math.Max((x + 1) / 2, 0), 1);
        return x < 0 ? DoubleMath.Expm1(x) * h : x * h;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double h = Math.Min(Math.Max((x + 1) / 2, 0), 1), dh = x > -1 && x < 1 ? 0.5 : 0;
        return x < 0 ? Math.Exp(x) * h + DoubleMath.Expm1(x) * dh : h + Math.Min(x, 1) * dh;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x <= -1 ? 0 : x < 0 ? Math.Exp(x) * (x + 3) / 2 : x < 1 ? 1 : 0;
}
