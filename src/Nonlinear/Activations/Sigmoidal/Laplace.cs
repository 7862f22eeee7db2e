using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (1 + erf((x − μ)/(σ√2)))/2 = Φ((x − μ)/σ) with μ = √(1/2), σ = √(1/(4π)); f′ = φ((x − μ)/σ)/σ.
/// Ma et al., "Mega: Moving Average Equipped Gated Attention", 2022 (the attention activation that approximates relu²).
/// </summary>
internal readonly struct Laplace : IActivationKernel, IReferenceSecondDerivative<Laplace>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Laplace>(new()
    {
        Name = "laplace", Family = "sigmoid",
        Formula = "(1 + erf((x − μ)/(σ·√2)))/2, μ = √(1/2), σ = √(1/(4π))",
        Derivative = "exp(−u²/2)/(σ·√(2π)), u = (x − μ)/σ",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Mega: Moving Average Equipped Gated Attention", Year = 2022,
        Notes = "μ and σ are float constants (0.70710677, 0.2820948); the reference uses the same values. Relatively accurate in the left tail (erfc-based), where the rounding of u is amplified by |u|²: the function is that ill-conditioned there.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.NormalCdf((x - V.Create(Mu)) / V.Create(Sigma));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(0.398942280f / Sigma) * SmoothMath.ExpNegSquare((x - V.Create(Mu)) / V.Create(Sigma), 0.5f);
    /// <inheritdoc/>
    public double Reference(double x) => DoubleMath.NormalCdf((x - Mu) / Sigma);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => DoubleMath.NormalPdf((x - Mu) / Sigma) / Sigma;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double z = (x - Mu) / Sigma;
        return -z * DoubleMath.NormalPdf(z) / (Sigma * Sigma);
    }

    private const float Mu = 0.707106781f, Sigma = 0.282094792f;
}
