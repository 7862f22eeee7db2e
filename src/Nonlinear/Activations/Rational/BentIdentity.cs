using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (√(x² + 1) − 1)/2 + x; f′ = x/(2·√(x² + 1)) + 1.
/// </summary>
internal readonly struct BentIdentity : IActivationKernel, IReferenceSecondDerivative<BentIdentity>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<BentIdentity>(new ActivationInfo
    {
        Name = "bent_identity", Aliases = ["bent"], Family = "rational",
        Formula = "(√(x² + 1) − 1)/2 + x",
        Derivative = "x/(2·√(x² + 1)) + 1",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Notes = "No paper of its own (listed in activation surveys). √(x² + 1) − 1 is evaluated as x²/(√(x² + 1) + 1), without cancellation near 0; for |x| > 1e18 (x² would overflow) f = 1.5x or 0.5x.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V big = V.GreaterThan(V.Abs(x), V.Create(1e18f));
        V s = V.Sqrt(V.Fma(x, x, V.Create(1f)));
        V r = V.Fma((x * x) / (s + V.Create(1f)), V.Create(0.5f), x);
        return V.Select(V.IsNaN(x), x, V.Select(big, x * V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1.5f), V.Create(0.5f)), r));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V big = V.GreaterThan(V.Abs(x), V.Create(1e18f));
        V s = V.Sqrt(V.Fma(x, x, V.Create(1f)));
        return V.Select(big, V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1.5f), V.Create(0.5f)), x / (s + s) + V.Create(1f));
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (Math.Abs(x) > 1e150) return x * (x > 0 ? 1.5 : 0.5);
        double s = Math.Sqrt(x * x + 1);
        return x * x / (s + 1) / 2 + x;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (Math.Abs(x) > 1e150) return x > 0 ? 1.5 : 0.5;
        return x / (2 * Math.Sqrt(x * x + 1)) + 1;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double r = 1 / Math.Sqrt(x * x + 1);
        return 0.5 * r * r * r;
    }
}
