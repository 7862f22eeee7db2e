using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = asinh(x) = sign(x)·ln(|x| + √(x² + 1)); f′ = 1/√(1 + x²). Equivalent to torch.asinh.
/// </summary>
public readonly struct Arcsinh : IActivationKernel
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Arcsinh>(new()
    {
        Name = "arcsinh", Aliases = ["asinh"], Family = "logarithmic",
        Formula = "asinh(x)",
        Derivative = "1/√(1 + x²)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "log1p(|x| + x²/(1 + √(1 + x²))) (no cancellation near 0); ln|x| + ln 2 above 1e18 (x² would overflow). Odd, −0 kept.",
        PyTorch = "torch.asinh",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V big = V.GreaterThan(a, V.Create(1e18f));
        V ac = V.Min(a, V.Create(1e18f));
        V s = ac * ac;
        V small = VMath.Log1p(ac + s / (V.Create(1f) + V.Sqrt(V.Create(1f) + s)));
        V large = VMath.Log(a) + V.Create(0.693147182f);
        return V.Select(big, large, small) | (x & V.Create(-0f));
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V ac = V.Min(a, V.Create(1e18f));
        return V.Select(V.GreaterThan(a, V.Create(1e18f)), V.Create(1f) / a, V.Create(1f) / V.Sqrt(V.Fma(ac, ac, V.Create(1f))));
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Asinh(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1 / Math.Sqrt(1 + x * x);
}
