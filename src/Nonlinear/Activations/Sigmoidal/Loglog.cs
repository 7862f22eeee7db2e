using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = exp(−e^−x) (the Gompertz function, the Gumbel CDF); f′ = e^−x·exp(−e^−x).
/// Gomes, Ludermir and Lima, "Comparison of new activation functions in neural network for forecasting financial time series", 2011.
/// </summary>
internal readonly struct Loglog : IActivationKernel, IReferenceSecondDerivative<Loglog>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Loglog>(new()
    {
        Name = "loglog", Aliases = ["gompertz"], Family = "sigmoid",
        Formula = "exp(−exp(−x))",
        Derivative = "exp(−x − exp(−x))",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Comparison of new activation functions in neural network for forecasting financial time series", Year = 2011,
        Notes = "The gate of GoLU. In the left tail exp(−u) turns the 1-ulp rounding of u = e^−x into u ulps; that is the function's own conditioning (κ = |x|·e^−x).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(-VMath.Exp(-x));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V u = VMath.Exp(-V.Max(x, V.Create(-88f)));
        return u * VMath.Exp(-u);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Exp(-Math.Exp(-x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double u = Math.Exp(-x);
        return double.IsPositiveInfinity(u) ? 0 : u * Math.Exp(-u);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double u = Math.Exp(-x);
        if (double.IsPositiveInfinity(u)) return 0;
        double ue = u * Math.Exp(-u);
        return ue == 0 ? 0 : ue * (u - 1);
    }
}
