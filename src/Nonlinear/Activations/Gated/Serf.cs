using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·erf(ln(1 + eˣ)); f′ = erf(sp) + x·(2/√π)·e^(−sp²)·σ(x), sp = softplus(x).
/// Nag and Bhattacharyya, "SERF: Towards better training of deep neural networks using log-Softplus ERror activation Function", 2021.
/// </summary>
internal readonly struct Serf : IActivationKernel, IReferenceSecondDerivative<Serf>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Serf>(new()
    {
        Name = "serf", Family = "gated",
        Formula = "x·erf(ln(1 + exp(x)))",
        Derivative = "erf(sp) + x·(2/√π)·exp(−sp²)·σ(x), sp = softplus(x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "SERF: Towards better training of deep neural networks using log-Softplus ERror activation Function", Year = 2021,
        Notes = "serf(−∞) = −0. Backward clamps x to [−200, 1e4] (the terms are exactly their limits there) so x·e^(−sp²)·σ is never ∞·0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * VMath.Erf(VMath.Softplus(x));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-200f)), V.Create(1e4f));
        V sp = VMath.Softplus(xc);
        V g = xc * V.Create(1.12837917f) * SmoothMath.ExpNegSquare(sp, 1f);
        return V.Fma(g, VMath.Sigmoid(xc), VMath.Erf(sp));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * DoubleMath.Erf(DoubleMath.Softplus(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double sp = DoubleMath.Softplus(x);
        return DoubleMath.Erf(sp) + x * 1.1283791670955126 * Math.Exp(-sp * sp) * DoubleMath.Sigmoid(x);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // sp = softplus x: f″ = (2/√π)·e^(−sp²)·σ·(2 + x·(σ(−x) − 2·sp·σ)).
        if (double.IsInfinity(x)) return 0;
        double sp = DoubleMath.Softplus(x), s = DoubleMath.Sigmoid(x), w = Math.Exp(-sp * sp) * s;
        return w == 0 ? 0 : SecondDerivativeMath.TwoOverSqrtPi * w * (2 + x * (DoubleMath.Sigmoid(-x) - 2 * sp * s));
    }
}
