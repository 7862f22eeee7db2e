using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = asinh(x) = ln(x + √(x² + 1)); f′ = 1/√(x² + 1).
/// </summary>
internal readonly struct Asinh : IActivationKernel, IReferenceSecondDerivative<Asinh>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Asinh>(new ActivationInfo
    {
        Name = "asinh", Aliases = ["arcsinh"], Family = "log",
        Formula = "asinh(x) = ln(x + √(x² + 1))",
        Derivative = "1/√(x² + 1)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Notes = "Odd, identity slope at 0, logarithmic growth. Evaluated as sign(x)·log1p(|x| + x²/(1 + √(1 + x²))) (no cancellation near 0) and as sign(x)·(ln|x| + ln 2) beyond 1e18. No paper of its own (used as a squashing activation in the survey).",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V small = VMath.Log1p(a + a * a / (V.Create(1f) + V.Sqrt(V.Fma(a, a, V.Create(1f)))));
        V big = VMath.Log(a) + V.Create(0.6931472f);
        return V.Select(V.GreaterThan(a, V.Create(1e18f)), big, small) | (x & V.Create(-0f));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        return V.Select(V.GreaterThan(a, V.Create(1e18f)), V.Create(1f) / a, V.Create(1f) / V.Sqrt(V.Fma(a, a, V.Create(1f))));
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Asinh(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) > 1e150 ? 1 / Math.Abs(x) : 1 / Math.Sqrt(x * x + 1);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (Math.Abs(x) > 1e150) return -1 / (x * Math.Abs(x));
        double r = 1 / Math.Sqrt(x * x + 1);
        return -x * r * r * r;
    }
}
