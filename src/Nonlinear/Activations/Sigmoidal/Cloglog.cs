using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = 1 − exp(−eˣ); f′ = eˣ·exp(−eˣ). The complementary log-log link, an asymmetric sigmoid.
/// Gomes, Ludermir and Lima, "Comparison of new activation functions in neural network for forecasting financial time series", 2011.
/// </summary>
internal readonly struct Cloglog : IActivationKernel, IReferenceSecondDerivative<Cloglog>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Cloglog>(new()
    {
        Name = "cloglog", Aliases = ["complementary_log_log"], Family = "sigmoid",
        Formula = "1 − exp(−exp(x))",
        Derivative = "exp(x − exp(x))",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Comparison of new activation functions in neural network for forecasting financial time series", Year = 2011,
        Notes = "Evaluated as −expm1(−eˣ): relatively accurate in the left tail (≈ eˣ). x is clamped at 88 in backward so eˣ·exp(−eˣ) is 0, not ∞·0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => -VMath.Expm1(-VMath.Exp(x));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V u = VMath.Exp(V.Min(x, V.Create(88f)));
        return u * VMath.Exp(-u);
    }
    /// <inheritdoc/>
    public double Reference(double x) => -DoubleMath.Expm1(-Math.Exp(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double u = Math.Exp(x);
        return double.IsPositiveInfinity(u) ? 0 : u * Math.Exp(-u);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double u = Math.Exp(x);
        return double.IsPositiveInfinity(u) ? 0 : u * Math.Exp(-u) * (1 - u);
    }
}
