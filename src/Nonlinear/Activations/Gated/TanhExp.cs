using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·tanh(eˣ); f′ = tanh(eˣ) + x·eˣ·sech²(eˣ).
/// Liu and Di, "TanhExp: A Smooth Activation Function with High Convergence Speed for Lightweight Neural Networks", 2020 (also TeLU, Fernandez and Mali, 2024).
/// </summary>
internal readonly struct TanhExp : IActivationKernel, IReferenceSecondDerivative<TanhExp>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<TanhExp>(new()
    {
        Name = "tanh_exp", Aliases = ["tanhexp", "telu"], Family = "gated",
        Formula = "x·tanh(exp(x))",
        Derivative = "tanh(exp(x)) + x·exp(x)·sech²(exp(x))",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "TanhExp: A Smooth Activation Function with High Convergence Speed for Lightweight Neural Networks", Year = 2020,
        Notes = "tanh_exp(−∞) = −0. Backward clamps x to [−104, 80] (the gate terms are already exactly 0 / 1 there) so eˣ is finite and x·eˣ never ∞·0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * VMath.Tanh(VMath.Exp(x));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-104f)), V.Create(80f));
        V u = VMath.Exp(xc);
        return V.Fma(xc * u, SmoothMath.Sech2(u), VMath.Tanh(u));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * Math.Tanh(Math.Exp(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double u = Math.Exp(x);
        return double.IsInfinity(u) ? 1 : Math.Tanh(u) + x * u * SmoothMath.Sech2(u);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // u = eˣ: f″ = u·sech²u·(2 + x − 2x·u·tanh u).
        if (double.IsInfinity(x)) return 0;
        double u = Math.Exp(x);
        if (double.IsInfinity(u)) return 0;
        double w = u * SmoothMath.Sech2(u);
        return w == 0 ? 0 : w * (2 + x - 2 * x * u * Math.Tanh(u));
    }
}
