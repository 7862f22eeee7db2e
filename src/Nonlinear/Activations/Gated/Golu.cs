using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·exp(−e^−x) (x times the Gompertz function); f′ = exp(−e^−x)·(1 + x·e^−x).
/// Das et al., "Gompertz Linear Units: Leveraging Asymmetry for Enhanced Learning Dynamics", 2025.
/// </summary>
internal readonly struct Golu : IActivationKernel, IReferenceSecondDerivative<Golu>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Golu>(new()
    {
        Name = "golu", Aliases = ["gompertz_linear_unit"], Family = "gated",
        Formula = "x·exp(−exp(−x))",
        Derivative = "exp(−exp(−x))·(1 + x·exp(−x))",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Gompertz Linear Units: Leveraging Asymmetry for Enhanced Learning Dynamics", Year = 2025,
        Notes = "golu(−∞) = −0. Backward clamps x to [−80, 1e30] so the gate is exactly 0 or 1 there and x·e^−x is never ∞·0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * VMath.Exp(-VMath.Exp(-x));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-80f)), V.Create(1e30f));
        V u = VMath.Exp(-xc);
        return VMath.Exp(-u) * V.Fma(xc, u, V.Create(1f));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * Math.Exp(-Math.Exp(-x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double u = Math.Exp(-x);
        return double.IsInfinity(u) ? 0 : Math.Exp(-u) * (1 + x * u);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // u = e^(−x): f″ = u·e^(−u)·(2 + x·u − x).
        if (double.IsInfinity(x)) return 0;
        double u = Math.Exp(-x), ue = double.IsInfinity(u) ? 0 : u * Math.Exp(-u);
        return ue == 0 ? 0 : ue * (2 + x * u - x);
    }
}
