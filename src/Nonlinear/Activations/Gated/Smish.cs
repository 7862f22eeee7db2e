using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·tanh(ln(1 + σ(x))); f′ = g + x·4(1 + s)·s·σ(−x)/(n + 2)², g = n/(n + 2), n = s(2 + s), s = σ(x).
/// Wang et al., "Smish: A Novel Activation Function for Deep Learning Methods", 2022.
/// </summary>
internal readonly struct Smish : IActivationKernel, IReferenceSecondDerivative<Smish>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Smish>(new()
    {
        Name = "smish", Family = "gated",
        Formula = "x·tanh(ln(1 + σ(x)))",
        Derivative = "g + x·4·(1 + s)·s·σ(−x)/(n + 2)², s = σ(x), n = s·(2 + s), g = n/(n + 2)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Smish: A Novel Activation Function for Deep Learning Methods", Year = 2022,
        Notes = "tanh(ln(1 + s)) = s(2 + s)/(s(2 + s) + 2) exactly: one division, no cancellation, relative accuracy for tiny s. The gate tends to 3/5 as x → ∞.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V s = VMath.Sigmoid(x);
        V n = s * (V.Create(2f) + s);
        V y = x * (n / (n + V.Create(2f)));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-200f)), V.Create(200f));
        var (s, sm) = SmoothMath.SigmoidPair(xc);
        V n = s * (V.Create(2f) + s);
        V den = n + V.Create(2f);
        return n / den + V.Create(4f) * xc * (V.Create(1f) + s) * s * sm / (den * den);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsNegativeInfinity(x)) return -0.0;
        double s = DoubleMath.Sigmoid(x), n = s * (2 + s);
        return x * (n / (n + 2));
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 0.6 : 0;
        double s = DoubleMath.Sigmoid(x), n = s * (2 + s), den = n + 2;
        return n / den + 4 * x * (1 + s) * s * DoubleMath.Sigmoid(-x) / (den * den);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // T = n/(n + 2), n = s(2 + s), s = σ: T′ = 4q/den², q = s(1 − s²)·… (see the derivative), f″ = 2T′ + x·T″.
        if (double.IsInfinity(x)) return 0;
        double s = DoubleMath.Sigmoid(x), sm = DoubleMath.Sigmoid(-x), ss = SecondDerivativeMath.SigmoidSlope(x);
        double n = s * (2 + s), den = n + 2;
        double q = (1 + s) * s * sm, dq = ss * (1 - 3 * s * s), dden = 2 * ss * (1 + s);
        double t1 = 4 * q / (den * den), t2 = 4 * (dq * den - 2 * q * dden) / (den * den * den);
        return 2 * t1 + (t2 == 0 ? 0 : x * t2);
    }
}
