using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// Smooth Activation Unit: leaky ReLU (slope α) convolved with the Gaussian N(0, σ²), in closed form
/// f(x; α, σ) = αx + (1−α)·(x·Φ(x/σ) + σ·φ(x/σ)) = (1+α)x/2 + (1−α)(x/2)·erf(x/(σ√2)) + (1−α)σ/√(2π)·e^(−x²/(2σ²)),
/// with Φ, φ the standard normal CDF and density. ∂f/∂x = α + (1−α)Φ(x/σ); ∂f/∂α = x − x·Φ(x/σ) − σφ(x/σ);
/// ∂f/∂σ = (1−α)·φ(x/σ). θ = (α, σ); σ is clamped below at <see cref="MinSigma"/> (gradient 0 there).
/// σ → 0 gives leaky ReLU; f(±∞) = leaky ReLU's limits. Biswas et al., "SAU: Smooth activation function using
/// convolution with approximate identities", 2021 (the closed form is E[LReLU(x + σZ)], Z ~ N(0,1)).
/// </summary>
internal readonly struct SauKernel : ILearnableKernel
{
    /// <summary>Smallest σ used.</summary>
    public const float MinSigma = 1e-4f;
    private const float InvSqrt2Pi = 0.398942280401432678f;

    /// <inheritdoc/>
    public int ParameterCount => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Smooth<V>(V x, V sigma, out V cdf, out V pdf) where V : struct, ISimdVec<V>
    {
        V t = x / sigma;
        cdf = VMath.NormalCdf(t);
        pdf = V.Create(InvSqrt2Pi) * VMath.Exp(V.Create(-0.5f) * t * t);
        // x·Φ(x/σ) + σφ(x/σ) → relu(x) as |x| → ∞, but is ∞·0 at −∞ itself.
        V h = V.Fma(x, cdf, sigma * pdf);
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Max(x, V.Create(0f)), h);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V>
    {
        V alpha = LK.P<V>(ref p, stride, 0), sigma = V.Max(LK.P<V>(ref p, stride, 1), V.Create(MinSigma));
        V h = Smooth(x, sigma, out _, out _);
        return V.Fma(alpha, x, (V.Create(1f) - alpha) * h);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Backward<V>(V x, V dy, ref float p, nint stride, ref float acc, nint accStride) where V : struct, ISimdVec<V>
    {
        V alpha = LK.P<V>(ref p, stride, 0), rawSigma = LK.P<V>(ref p, stride, 1);
        V sigma = V.Max(rawSigma, V.Create(MinSigma));
        V h = Smooth(x, sigma, out V cdf, out V pdf);
        V beta = V.Create(1f) - alpha;
        LK.Add(ref acc, accStride, 0, dy * (x - h));
        LK.Add(ref acc, accStride, 1, V.Select(V.LessThan(rawSigma, V.Create(MinSigma)), V.Create(0f), dy * beta * pdf));
        return dy * V.Fma(beta, cdf, alpha);
    }

    /// <inheritdoc/>
    public double Reference(double x, ReadOnlySpan<double> theta)
    {
        double alpha = theta[0], sigma = Math.Max(theta[1], MinSigma), t = x / sigma;
        double h = double.IsInfinity(x) ? Math.Max(x, 0) : x * DoubleMath.NormalCdf(t) + sigma * Math.Exp(-0.5 * t * t) / Math.Sqrt(2 * Math.PI);
        return alpha * x + (1 - alpha) * h;
    }

    /// <inheritdoc/>
    public double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta)
    {
        double alpha = theta[0], sigma = Math.Max(theta[1], MinSigma), t = x / sigma;
        double cdf = DoubleMath.NormalCdf(t), pdf = Math.Exp(-0.5 * t * t) / Math.Sqrt(2 * Math.PI);
        dTheta[0] = x - (x * cdf + sigma * pdf);
        dTheta[1] = theta[1] < MinSigma ? 0 : (1 - alpha) * pdf;
        return alpha + (1 - alpha) * cdf;
    }
}
