using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·tanh(gelu(x)); f′ = tanh(g) + x·sech²(g)·(Φ(x) + x·φ(x)), g = x·Φ(x).
/// Naveen, "Phish: A Novel Hyper-Optimizable Activation Function", 2022.
/// </summary>
internal readonly struct Phish : IActivationKernel, IReferenceSecondDerivative<Phish>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Phish>(new()
    {
        Name = "phish", Family = "gated",
        Formula = "x·tanh(x·Φ(x))",
        Derivative = "tanh(g) + x·sech²(g)·(Φ(x) + x·φ(x)), g = x·Φ(x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Phish: A Novel Hyper-Optimizable Activation Function", Year = 2022,
        Notes = "Non-negative everywhere (x and gelu(x) share their sign); phish(±∞) = +∞ / +0. Built on the Gelu kernel.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * VMath.Tanh(new Gelu().Forward(x));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e4f)), V.Create(1e4f));
        V g = new Gelu().Forward(xc);
        return V.Fma(xc * SmoothMath.Sech2(g), new Gelu().Derivative(xc, g), VMath.Tanh(g));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? 0.0 : x * Math.Tanh(x * DoubleMath.NormalCdf(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double g = x * DoubleMath.NormalCdf(x);
        return Math.Tanh(g) + x * SmoothMath.Sech2(g) * (DoubleMath.NormalCdf(x) + x * DoubleMath.NormalPdf(x));
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // g = x·Φ(x): f″ = sech²g·(2g′ − 2x·tanh(g)·g′² + x·φ(x)·(2 − x²)), g′ = Φ + xφ.
        if (double.IsInfinity(x)) return 0;
        double cdf = DoubleMath.NormalCdf(x), pdf = DoubleMath.NormalPdf(x), g = x * cdf, g1 = cdf + x * pdf;
        double s2 = SmoothMath.Sech2(g);
        return s2 == 0 ? 0 : s2 * (2 * g1 - 2 * x * Math.Tanh(g) * g1 * g1 + x * pdf * (2 - x * x));
    }
}
