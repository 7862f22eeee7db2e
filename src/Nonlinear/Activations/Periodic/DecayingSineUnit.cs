using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (π/2)·(sinc(x − π) − sinc(x + π)) = π²·sin(x)/(π² − x²); f′ = π²·(sinc′(t)·(|x| + π) − sinc(t))/(|x| + π)², t = |x| − π.
/// Noel et al., "Biologically Inspired Oscillating Activation Functions Can Bridge the Performance Gap between Biological and Artificial Neurons", 2021.
/// </summary>
internal readonly struct DecayingSineUnit : IActivationKernel, IReferenceSecondDerivative<DecayingSineUnit>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<DecayingSineUnit>(new()
    {
        Name = "dsu", Aliases = ["decaying_sine_unit"], Family = "periodic",
        Formula = "(π/2)·(sinc(x − π) − sinc(x + π))",
        Derivative = "π²·(sinc′(t)·(|x| + π) − sinc(t))/(|x| + π)², t = |x| − π",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Biologically Inspired Oscillating Activation Functions Can Bridge the Performance Gap between Biological and Artificial Neurons", Year = 2021,
        Notes = "Odd: evaluated on |x| as π²·sinc(t)/(|x| + π), t = |x| − π (π as float hi + lo), which is regular at |x| = π (value π/2). 0 at ±∞; accurate for |x| ≤ 1e6.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V t = (a - V.Create(3.14159274f)) + V.Create(8.74227766e-8f);
        V ap = (a + V.Create(3.14159274f)) - V.Create(8.74227766e-8f);
        V g = V.Create(-9.86960440f) * VMath.Sin(a) / (t * ap);
        g = V.Select(V.Equals(a, V.Create(float.PositiveInfinity)), V.Create(0f), g);
        return g ^ (x & V.Create(-0f));
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V t = (a - V.Create(3.14159274f)) + V.Create(8.74227766e-8f);
        V ap = (a + V.Create(3.14159274f)) - V.Create(8.74227766e-8f);
        var (s, c) = VMath.SinCos(a);
        V sp = SmoothMath.SincPrime(t, -s, -c);
        V d = V.Create(9.86960440f) * (sp * ap + s / t) / (ap * ap);
        return V.Select(V.Equals(a, V.Create(float.PositiveInfinity)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsInfinity(x)) return 0;
        if (x == 0) return x;
        double a = Math.Abs(x), t = (a - Math.PI) - 1.2246467991473532e-16;
        double g = -Math.PI * Math.PI * Math.Sin(a) / (t * (a + Math.PI));
        return x < 0 ? -g : g;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double a = Math.Abs(x), t = (a - Math.PI) - 1.2246467991473532e-16, ap = a + Math.PI;
        double sp = Math.Abs(t) < 0.1 ? SmoothMath.SincPrime(t) : (Math.Sin(a) - t * Math.Cos(a)) / (t * t);
        return Math.PI * Math.PI * (sp * ap + Math.Sin(a) / t) / (ap * ap);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // f is odd, so f″ is odd: (π/2)·(sinc″(a − π) − sinc″(a + π)) at a = |x|, with the shifts corrected for π's
        // rounding as in the reference; sin and cos of a ∓ π are −sin a and −cos a.
        if (double.IsInfinity(x)) return 0;
        double a = Math.Abs(x), sa = Math.Sin(a), ca = Math.Cos(a);
        double t1 = (a - Math.PI) - 1.2246467991473532e-16, t2 = (a + Math.PI) + 1.2246467991473532e-16;
        double g = Math.PI / 2 * (SecondDerivativeMath.SincSecond(t1, -sa, -ca) - SecondDerivativeMath.SincSecond(t2, -sa, -ca));
        return x < 0 ? -g : g;
    }
}
