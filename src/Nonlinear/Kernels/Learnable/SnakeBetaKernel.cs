using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// SnakeBeta: f(x; a, β) = x + sin²(a·x)/β, frequency a and magnitude β separate. ∂f/∂x = 1 + a·sin(2ax)/β;
/// ∂f/∂a = x·sin(2ax)/β; ∂f/∂β = −sin²(ax)/β². β is clamped below at <see cref="MinBeta"/> (gradient 0 there) instead
/// of BigVGAN's 1/(β + 1e-9), which is still singular at β = −1e-9. f(±∞) = NaN (sin ∞ is undefined). Lee et al., "BigVGAN: A Universal Neural Vocoder
/// with Large-Scale Training", ICLR 2023 (after Ziyin et al.'s Snake, 2020).
/// </summary>
internal readonly struct SnakeBetaKernel : ILearnableKernel
{
    /// <summary>Smallest β used.</summary>
    public const float MinBeta = 1e-4f;

    /// <inheritdoc/>
    public int ParameterCount => 2;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V>
    {
        V a = LK.P<V>(ref p, stride, 0), beta = V.Max(LK.P<V>(ref p, stride, 1), V.Create(MinBeta));
        V s = VMath.Sin(a * x);
        return V.Fma(s, s / beta, x);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Backward<V>(V x, V dy, ref float p, nint stride, ref float acc, nint accStride) where V : struct, ISimdVec<V>
    {
        V a = LK.P<V>(ref p, stride, 0), rawBeta = LK.P<V>(ref p, stride, 1);
        V beta = V.Max(rawBeta, V.Create(MinBeta));
        var (s, c) = VMath.SinCos(a * x);
        V s2 = V.Create(2f) * s * c / beta;        // sin(2ax)/β
        LK.Add(ref acc, accStride, 0, dy * x * s2);
        LK.Add(ref acc, accStride, 1, V.Select(V.LessThan(rawBeta, V.Create(MinBeta)), V.Create(0f), -(dy * s * s / (beta * beta))));
        return dy * V.Fma(a, s2, V.Create(1f));
    }

    /// <inheritdoc/>
    public double Reference(double x, ReadOnlySpan<double> theta)
    {
        double s = Math.Sin(theta[0] * x);
        return x + s * s / Math.Max(theta[1], MinBeta);
    }

    /// <inheritdoc/>
    public double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta)
    {
        double a = theta[0], beta = Math.Max(theta[1], MinBeta), s = Math.Sin(a * x), s2 = Math.Sin(2 * a * x);
        dTheta[0] = x * s2 / beta;
        dTheta[1] = theta[1] < MinBeta ? 0 : -s * s / (beta * beta);
        return 1 + a * s2 / beta;
    }
}
