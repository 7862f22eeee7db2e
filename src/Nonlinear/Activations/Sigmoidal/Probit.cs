using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = Φ(x), the standard normal CDF; f′ = φ(x) = e^(−x²/2)/√(2π). Equivalent to torch.special.ndtr.
/// Bliss, "The method of probits", 1934.
/// </summary>
internal readonly struct Probit : IActivationKernel, IReferenceSecondDerivative<Probit>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Probit>(new()
    {
        Name = "probit", Aliases = ["normal_cdf"], Family = "sigmoid",
        Formula = "Φ(x) = (1 + erf(x/√2))/2",
        Derivative = "exp(−x²/2)/√(2π)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "The method of probits", Year = 1934,
        Notes = "VMath.NormalCdf (erfc-based, relatively accurate in the left tail, within 6 ulp there).",
        PyTorch = "torch.special.ndtr",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.NormalCdf(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(0.398942280f) * SmoothMath.ExpNegSquare(x, 0.5f);
    /// <inheritdoc/>
    public double Reference(double x) => DoubleMath.NormalCdf(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => DoubleMath.NormalPdf(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsInfinity(x) ? 0 : -x * DoubleMath.NormalPdf(x);
}
