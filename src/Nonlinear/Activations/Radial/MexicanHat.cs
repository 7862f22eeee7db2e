using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (1 − x²)·e^(−x²/2), the Ricker wavelet; f′ = x·(x² − 3)·e^(−x²/2).
/// Zhang and Benveniste, "Wavelet networks", 1992.
/// </summary>
internal readonly struct MexicanHat : IActivationKernel, IReferenceSecondDerivative<MexicanHat>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<MexicanHat>(new()
    {
        Name = "mexican_hat", Aliases = ["ricker"], Family = "radial",
        Formula = "(1 − x²)·exp(−x²/2)",
        Derivative = "x·(x² − 3)·exp(−x²/2)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Wavelet networks", Year = 1992,
        Notes = "1 − x² as (1 − x)(1 + x) (exact near ±1); |x| clamped at 1e4 where f is already −0. f(±∞) = −0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e4f)), V.Create(1e4f));
        return (V.Create(1f) - xc) * (V.Create(1f) + xc) * SmoothMath.ExpNegSquare(xc, 0.5f);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e4f)), V.Create(1e4f));
        return xc * V.Fma(xc, xc, V.Create(-3f)) * SmoothMath.ExpNegSquare(xc, 0.5f);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsInfinity(x) ? -0.0 : (1 - x) * (1 + x) * Math.Exp(-0.5 * x * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        double.IsInfinity(x) ? 0 : x * (x * x - 3) * Math.Exp(-0.5 * x * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double x2 = x * x, e = Math.Exp(-0.5 * x2);
        return e == 0 ? 0 : (-x2 * x2 + 6 * x2 - 3) * e;
    }
}
