using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = cos(5x)·e^(−x²/2), the (real) Morlet wavelet; f′ = −(5·sin(5x) + x·cos(5x))·e^(−x²/2).
/// </summary>
internal readonly struct Morlet : IActivationKernel, IReferenceSecondDerivative<Morlet>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Morlet>(new()
    {
        Name = "morlet", Family = "radial",
        Formula = "cos(5·x)·exp(−x²/2)",
        Derivative = "−(5·sin(5·x) + x·cos(5·x))·exp(−x²/2)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "5x is carried as hi + lo into cos/sin (its rounding would otherwise cost |5x·tan(5x)|/2 ulp). Exactly +0 for |x| > 40 (the true value underflows double; a fixed sign keeps the result independent of cos at huge arguments).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        var (_, c) = SmoothMath.SinCosScaled(V.Min(V.Max(x, V.Create(-40f)), V.Create(40f)), 5f);
        V y = c * SmoothMath.ExpNegSquare(x, 0.5f);
        return V.Select(V.GreaterThan(V.Abs(x), V.Create(40f)), V.Create(0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-40f)), V.Create(40f));
        var (s, c) = SmoothMath.SinCosScaled(xc, 5f);
        V d = -V.Fma(V.Create(5f), s, xc * c) * SmoothMath.ExpNegSquare(xc, 0.5f);
        return V.Select(V.GreaterThan(V.Abs(x), V.Create(40f)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        Math.Abs(x) > 40 ? 0 : Math.Cos(5 * x) * Math.Exp(-0.5 * x * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        Math.Abs(x) > 40 ? 0 : -(5 * Math.Sin(5 * x) + x * Math.Cos(5 * x)) * Math.Exp(-0.5 * x * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => Math.Abs(x) > 40 ? 0 : Math.Exp(-0.5 * x * x) * (Math.Cos(5 * x) * (x * x - 26) + 10 * x * Math.Sin(5 * x));
}
