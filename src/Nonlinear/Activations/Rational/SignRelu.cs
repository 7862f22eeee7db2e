using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? x : alpha·x/(1 + |x|); f′ = x ≥ 0 ? 1 : alpha/(1 + |x|)². Li, Feng and Zhou, "SignReLU neural network
/// and its approximation ability", 2022.
/// </summary>
internal readonly struct SignRelu(float alpha) : IParametricActivationKernel, IReferenceSecondDerivative<SignRelu>
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "signrelu", Aliases = ["sign_relu"], Family = "rational",
        Formula = "x ≥ 0 ? x : alpha·x/(1 + |x|)",
        Derivative = "x ≥ 0 ? 1 : alpha/(1 + |x|)²",
        Parameters =
        [
            new("alpha", 1.0, "negative saturation level: f → −alpha", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "SignReLU neural network and its approximation ability", Year = 2022,
        Notes = "relu for x ≥ 0, softsign scaled by alpha below: C¹ for alpha = 1. Below −1e30 the limit −alpha is returned (x/(1 − x) would be ∞/∞ at −∞). ∂f/∂alpha = x < 0 ? x/(1 + |x|) : 0.",
    }, p => new SignRelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V s = x / (V.Create(1f) - x);
        s = V.Select(V.LessThan(x, V.Create(-1e30f)), V.Create(-1f), s);
        return V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), x, V.Create(_alpha) * s);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V q = V.Create(1f) - x;
        return V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), V.Create(1f), V.Create(_alpha) / (q * q));
    }
    /// <inheritdoc/>
    public double Reference(double x) => x >= 0 ? x : x < -1e30 ? -(double)_alpha : _alpha * x / (1 - x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x >= 0 ? 1 : _alpha / ((1 - x) * (1 - x));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (x >= 0) return 0;
        double d = 1 - x;
        return 2 * _alpha / (d * d * d);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V s = V.Select(V.LessThan(x, V.Create(-1e30f)), V.Create(-1f), x / (V.Create(1f) - x));
        return V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), V.Create(0f), s);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x >= 0 ? 0 : x < -1e30 ? -1 : x / (1 - x);
}
