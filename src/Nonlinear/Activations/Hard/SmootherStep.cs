using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = t³(6t² − 15t + 10),  t = min(max(x + 1/2, 0), 1); f′ = 30t²(1 − t)² on −1/2 &lt; x &lt; 1/2, else 0. Perlin,
/// "Improving Noise", 2002.
/// </summary>
internal readonly struct SmootherStep : IActivationKernel, IReferenceSecondDerivative<SmootherStep>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<SmootherStep>(new ActivationInfo
    {
        Name = "smoother_step", Aliases = ["smootherstep"], Family = "hard",
        Formula = "t³(6t² − 15t + 10),  t = min(max(x + 1/2, 0), 1)",
        Derivative = "30t²(1 − t)² on −1/2 < x < 1/2, else 0",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Improving Noise", Year = 2002,
        Notes = "The quintic (C²) counterpart of smooth_step, exactly 0 and 1 outside [−1/2, 1/2]. Above 1/2 it is evaluated as 1 − g(1 − t) with g the same polynomial (the curve is odd about 1/2), so neither half cancels.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V t = V.Min(V.Max(x + V.Create(0.5f), V.Create(0f)), V.Create(1f)), u = V.Min(V.Max(V.Create(0.5f) - x, V.Create(0f)), V.Create(1f));
        return V.Select(V.GreaterThan(t, V.Create(0.5f)), V.Create(1f) - G(u), G(t));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V t = V.Min(V.Max(x + V.Create(0.5f), V.Create(0f)), V.Create(1f)), u = V.Min(V.Max(V.Create(0.5f) - x, V.Create(0f)), V.Create(1f));
        V tu = t * u;
        return V.Create(30f) * tu * tu;
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double t = Math.Min(Math.Max(x + 0.5, 0), 1);
        return t * t * t * (t * (6 * t - 15) + 10);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double t = Math.Min(Math.Max(x + 0.5, 0), 1), u = Math.Min(Math.Max(0.5 - x, 0), 1);
        return 30 * t * t * u * u;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double t = x + 0.5, u = 0.5 - x;
        return double.IsNaN(x) ? x : t > 0 && u > 0 ? 60 * t * u * (u - t) : 0;
    }

    // g(s) = s³(s(6s − 15) + 10) for s ≤ 1/2, where the inner factor lies in [6.25, 10] and does not cancel.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static V G<V>(V s) where V : struct, ISimdVec<V> =>
        s * s * s * V.Fma(s, V.Fma(s, V.Create(6f), V.Create(-15f)), V.Create(10f));
}
