using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = π·sinc(x − π) = −π·sin(x)/(x − π); f′ = π·sinc′(x − π).
/// Noel et al., "Biologically Inspired Oscillating Activation Functions Can Bridge the Performance Gap between Biological and Artificial Neurons", 2021.
/// </summary>
internal readonly struct ShiftedSincUnit : IActivationKernel, IReferenceSecondDerivative<ShiftedSincUnit>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<ShiftedSincUnit>(new()
    {
        Name = "ssu", Aliases = ["shifted_sinc_unit"], Family = "periodic",
        Formula = "π·sin(x − π)/(x − π)",
        Derivative = "π·(cos(t) − sin(t)/t)/t, t = x − π",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Biologically Inspired Oscillating Activation Functions Can Bridge the Performance Gap between Biological and Artificial Neurons", Year = 2021,
        Notes = "t = x − π with π as float hi + lo, and sin(t) = −sin(x): both relatively accurate near x = π, where f → π. 0 at ±∞; accurate for |x| ≤ 1e6.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V t = T(x);
        V y = V.Create(-3.14159274f) * VMath.Sin(x) / t;
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V t = T(x);
        var (s, c) = VMath.SinCos(x);
        V d = V.Create(3.14159274f) * SmoothMath.SincPrime(t, -s, -c);
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x) => double.IsInfinity(x) ? 0 : -Math.PI * Math.Sin(x) / Td(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double t = Td(x);
        return Math.PI * (Math.Abs(t) < 0.1 ? SmoothMath.SincPrime(t) : (Math.Sin(x) - t * Math.Cos(x)) / (t * t));
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // f = π·sinc(t), t = x − π (corrected for π's rounding); sin t = −sin x, cos t = −cos x.
        if (double.IsInfinity(x)) return 0;
        return Math.PI * SecondDerivativeMath.SincSecond(Td(x), -Math.Sin(x), -Math.Cos(x));
    }

    // x − π with π = 3.14159274f − 8.742278e-8: exact by Sterbenz near π, then one rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V T<V>(V x) where V : struct, ISimdVec<V> => (x - V.Create(3.14159274f)) + V.Create(8.74227766e-8f);

    private static double Td(double x) => (x - Math.PI) - 1.2246467991473532e-16;
}
