using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·Φ(x) = ½x·erfc(−x/√2), exact (erf-based) GELU; f′ = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
/// Equivalent to torch.nn.GELU() (approximate='none'). Hendrycks and Gimpel, "Gaussian Error Linear Units (GELUs)", 2016.
/// </summary>
internal readonly struct Gelu : IActivationKernel, IFusedDerivativeKernel, ISecondDerivative<Gelu>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Gelu>(new()
    {
        Name = "gelu", Aliases = ["gelu_erf"], Family = "gated",
        Formula = "x·Φ(x) = x/2·(1 + erf(x/√2))", Derivative = "Φ(x) + x·exp(−x²/2)/√(2π)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Gaussian Error Linear Units (GELUs)", Year = 2016,
        Notes = "The exact form; the tanh approximation is the separate entry gelu_tanh. Φ is evaluated as ½·erfc(−x/√2) with our own "
              + "erfc and x²/2 split exactly, so the left tail keeps relative accuracy down to x ≈ −13 where x·Φ(x) underflows "
              + "(1 + erf(x/√2) would cancel to 0 already near x = −5.7). gelu(−∞) = −0. Framework defaults differ: PyTorch and "
              + "Keras (approximate=False) use this exact form, jax.nn.gelu defaults to approximate=True (gelu_tanh).",
        PyTorch = "torch.nn.GELU(approximate='none')",
    }, ForwardDerivativePath.Fused<Gelu>());

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * VMath.NormalCdf(x, out _);
        // −∞·Φ(−∞) = −∞·0; the limit is 0 (from below).
        return V.Blend(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        // φ(x) = e^(−x²/2)/√(2π) from the same exponential as Φ (x² split exactly there); x clamped to ±15 like that
        // exponential, so x·φ is 0 (not ∞·0) at ±∞.
        V cdf = VMath.NormalCdf(x, out V gauss);
        V xc = V.Clamp(x, V.Create(-15f), V.Create(15f));
        return V.Fma(xc * V.Create(0.398942280401432678f), gauss, cdf);
    }
    /// <summary>
    /// Forward and Derivative in one: Φ(x) and e^(−x²/2) come out of one erfc evaluation and serve both, so training pays
    /// for Φ once instead of twice (the backward pass is then dy·f′). Same expressions as the two methods, same bits.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ForwardWithDerivative<V>(V x, out V derivative) where V : struct, ISimdVec<V>
    {
        V cdf = VMath.NormalCdf(x, out V gauss);
        V xc = V.Clamp(x, V.Create(-15f), V.Create(15f));
        derivative = V.Fma(xc * V.Create(0.398942280401432678f), gauss, cdf);
        return V.Blend(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), x * cdf);
    }
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNegativeInfinity(x) ? -0.0 : x * DoubleMath.NormalCdf(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        double.IsInfinity(x) ? (x > 0 ? 1 : 0) : DoubleMath.NormalCdf(x) + x * DoubleMath.NormalPdf(x);

    /// <summary>f″ = φ(x)·(2 − x²), φ the standard normal density; x clamped to ±15 as in f′ so ±∞ gives 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        VMath.NormalCdf(x, out V gauss);
        V xc = V.Clamp(x, V.Create(-15f), V.Create(15f));
        return V.Create(0.398942280401432678f) * gauss * V.Fma(-xc, xc, V.Create(2f));
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsInfinity(x) ? 0 : DoubleMath.NormalPdf(x) * (2 - x * x);
}
