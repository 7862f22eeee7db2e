using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// Adaptive Parametric Activation: APA(x; κ, λ) = (λ·e^(−κx) + 1)^(−1/λ); gated (AGLU, for hidden layers)
/// f = x·APA, plain f = APA. Parameters θ = (κ, λ); λ is clamped below at <see cref="MinLambda"/> (its gradient is
/// 0 there, as torch.clamp). With s = ln λ − κx, ln(1 + λe^(−κx)) = softplus(s) and λe^(−κx)/(1 + λe^(−κx)) = σ(s) =: w,
/// so A = exp(−softplus(s)/λ), ∂A/∂x = A·κ·w/λ, ∂A/∂κ = A·x·w/λ, ∂A/∂λ = A·(softplus(s) − w)/λ² — no overflow
/// for any x. κ = λ = 1 gives the sigmoid (gated: SiLU); λ → 0 the Gumbel CDF.
/// Alexandridis et al., "Adaptive Parametric Activation", ECCV 2024.
/// </summary>
internal readonly struct ApaKernel(bool gated) : ILearnableKernel
{
    /// <summary>Smallest λ used (the official code clamps at the same value).</summary>
    public const float MinLambda = 1e-4f;
    private readonly bool _gated = gated;

    /// <inheritdoc/>
    public int ParameterCount => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Parts<V>(V x, V kappa, V lambda, out V sp, out V w) where V : struct, ISimdVec<V>
    {
        V s = VMath.Log(lambda) - kappa * x;
        // softplus(s) and σ(s) from one e^(−|s|), as VMath.Softplus and VMath.Sigmoid compute them separately.
        V e = VMath.Exp(-V.Abs(s)), one = V.Create(1f);
        sp = VMath.Log1p(e) + V.Max(s, V.Create(0f));
        w = V.Select(V.LessThan(s, V.Create(0f)), e, one) / (one + e);
        return VMath.Exp(-sp / lambda);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V>
    {
        V lambda = V.Max(LK.P<V>(ref p, stride, 1), V.Create(MinLambda));
        V a = Parts(x, LK.P<V>(ref p, stride, 0), lambda, out _, out _);
        // x·A is −∞·0 at x = −∞ (limit 0: A decays exponentially).
        return _gated ? V.Select(V.Equals(a, V.Create(0f)), V.Create(0f), x * a) : a;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Backward<V>(V x, V dy, ref float p, nint stride, ref float acc, nint accStride) where V : struct, ISimdVec<V>
    {
        V kappa = LK.P<V>(ref p, stride, 0), rawLambda = LK.P<V>(ref p, stride, 1);
        V lambda = V.Max(rawLambda, V.Create(MinLambda));
        V a = Parts(x, kappa, lambda, out V sp, out V w);
        // Every derivative term decays exponentially as |x| → ∞; at x = ±∞ itself x·(…) would be ∞·0.
        x = V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), x);
        V aw = a * w / lambda;
        V dAdx = aw * kappa, dAdk = aw * x;
        V dAdl = V.Select(V.LessThan(rawLambda, V.Create(MinLambda)) | V.Equals(a, V.Create(0f)), V.Create(0f), a * (sp - w) / (lambda * lambda));
        V g = _gated ? dy * x : dy;
        LK.Add(ref acc, accStride, 0, g * dAdk);
        LK.Add(ref acc, accStride, 1, g * dAdl);
        return _gated ? dy * V.Fma(x, dAdx, a) : dy * dAdx;
    }

    /// <inheritdoc/>
    public double Reference(double x, ReadOnlySpan<double> theta)
    {
        double lambda = Math.Max(theta[1], MinLambda);
        double a = Math.Pow(lambda * Math.Exp(-theta[0] * x) + 1, -1 / lambda);
        return _gated ? x * a : a;
    }

    /// <inheritdoc/>
    public double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta)
    {
        double kappa = theta[0], lambda = Math.Max(theta[1], MinLambda);
        double e = Math.Exp(-kappa * x), u = lambda * e + 1, a = Math.Pow(u, -1 / lambda);
        double dAdx = a * kappa * e / u, dAdk = a * x * e / u;
        double dAdl = theta[1] < MinLambda ? 0 : a * (Math.Log(u) / (lambda * lambda) - e / (lambda * u));
        double g = _gated ? x : 1;
        dTheta[0] = g * dAdk;
        dTheta[1] = g * dAdl;
        return _gated ? a + x * dAdx : dAdx;
    }
}
