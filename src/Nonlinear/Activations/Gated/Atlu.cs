using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·(1/2 + atan(x)/π); f′ = 1/2 + atan(x)/π + x/(π(1 + x²)). Monotonic, bounded below by −1/π (its limit at −∞).
/// Huang, "Expanded Gating Ranges Improve Activation Functions", 2024.
/// </summary>
internal readonly struct Atlu : IActivationKernel, IReferenceSecondDerivative<Atlu>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Atlu>(new()
    {
        Name = "atlu", Aliases = ["arctan_linear_unit"], Family = "gated",
        Formula = "x·(1/2 + atan(x)/π)",
        Derivative = "1/2 + atan(x)/π + x/(π·(1 + x²))",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Expanded Gating Ranges Improve Activation Functions", Year = 2024,
        Notes = "The gate is atan(−1/x)/π for x < 0 (no 1/2 − 1/2 cancellation), so atlu(x) → −1/π keeps its accuracy; x/(1 + x²) as 1/(x + 1/x) (no overflow). For x ≪ 0 f′ = O(|x|⁻³) is a difference of two O(1/|x|) terms (absolute, not relative, accuracy there).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        // Below −1e4, x·atan(−1/x)/π = −(1 − 1/(3x²))/π is −1/π to float precision (and −1/x turns subnormal near −MaxValue).
        return V.Select(V.LessThan(x, V.Create(-1e4f)), V.Create(-0.318309886f), x * Gate(x));
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => Slope(x);
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -1 / Math.PI : x * ReferenceGate(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => ReferenceSlope(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double r = 1 / (1 + x * x);
        return 2 / Math.PI * r * r;
    }

    /// <summary>1/2 + atan(x)/π, as atan(−1/x)/π for x &lt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Gate<V>(V x) where V : struct, ISimdVec<V>
    {
        V neg = V.LessThan(x, V.Create(0f));
        V a = VMath.Atan(V.Select(neg, V.Create(-1f) / x, x)) * V.Create(0.318309886f);
        return V.Select(neg, a, a + V.Create(0.5f));
    }

    /// <summary>d/dx of x·gate(x) = gate(x) + 1/(π(x + 1/x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Slope<V>(V x) where V : struct, ISimdVec<V> =>
        Gate(x) + V.Create(0.318309886f) / (x + V.Create(1f) / x);

    /// <summary>The gate in double.</summary>
    internal static double ReferenceGate(double x) => x < 0 ? Math.Atan(-1 / x) / Math.PI : 0.5 + Math.Atan(x) / Math.PI;

    /// <summary>f′ in double; below −10 the series of (atan t − t/(1 + t²))/π in t = −1/x (the direct form cancels).</summary>
    internal static double ReferenceSlope(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        if (x < -10)
        {
            double t = -1 / x, t2 = t * t, p = t * t2, sum = 0;
            for (int k = 1; k < 12; k++, p *= -t2) sum += 2.0 * k / (2 * k + 1) * p;
            return sum / Math.PI;
        }
        return ReferenceGate(x) + x / (Math.PI * (1 + x * x));
    }
}
