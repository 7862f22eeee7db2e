using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = ln(cosh(x)); f′ = tanh(x). Even, ≥ 0, ≈ x²/2 near 0 and |x| − ln 2 far out.
/// </summary>
internal readonly struct LogCosh : IActivationKernel, IReferenceSecondDerivative<LogCosh>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<LogCosh>(new()
    {
        Name = "log_cosh", Family = "logarithmic",
        Formula = "ln(cosh(x))",
        Derivative = "tanh(x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "log1p(m²/(2(1 + m))) with m = expm1(|x|) below |x| = 1 (cosh − 1 without cancellation), |x| − ln 2 + log1p(e^(−2|x|)) above (no overflow).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x);
        V m = VMath.Expm1(V.Min(a, V.Create(1f)));
        V small = VMath.Log1p(m * m / (V.Create(2f) * (V.Create(1f) + m)));
        V large = ((a - V.Create(0.693147182f)) + V.Create(1.90465430e-9f)) + VMath.Log1p(VMath.Exp(V.Create(-2f) * a));
        return V.Select(V.LessThan(a, V.Create(1f)), small, large);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => VMath.Tanh(x);
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double a = Math.Abs(x);
        if (a < 1)
        {
            double m = DoubleMath.Expm1(a);
            return DoubleMath.Log1p(m * m / (2 * (1 + m)));
        }
        return a - Math.Log(2) + DoubleMath.Log1p(Math.Exp(-2 * a));
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Tanh(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => SmoothMath.Sech2(x);
}
