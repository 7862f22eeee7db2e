using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (e^(αx) − 1)/α + α for α &gt; 0, x for α = 0 (α = 0.5); f′ = e^(αx).
/// Godfrey and Gashler, "A continuum among logarithmic, linear, and exponential functions, and its potential to improve generalization in neural networks", 2015.
/// </summary>
internal readonly struct SoftExponential(float alpha) : IParametricActivationKernel, IReferenceSecondDerivative<SoftExponential>
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "soft_exponential", Family = "exponential",
        Formula = "alpha > 0 ? (exp(alpha·x) − 1)/alpha + alpha : x",
        Derivative = "exp(alpha·x)",
        Parameters = [new("alpha", 0.5, "interpolates identity (0) and exponential (> 0)", "the paper also allows alpha < 0 (logarithmic side, defined only for x > alpha − 1/|alpha|); the catalog takes alpha ≥ 0", Min: 0, Max: 10)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "A continuum among logarithmic, linear, and exponential functions, and its potential to improve generalization in neural networks", Year = 2015,
        Notes = "expm1 keeps relative accuracy near 0; overflows to +∞ with e^(alpha·x). The paper learns alpha; 0.5 is our default.",
    }, p => new SoftExponential((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        _alpha == 0f ? x : VMath.Expm1(V.Create(_alpha) * x) / V.Create(_alpha) + V.Create(_alpha);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        _alpha == 0f ? V.Create(1f) : VMath.Exp(V.Create(_alpha) * x);
    /// <inheritdoc/>
    public double Reference(double x) =>
        _alpha == 0 ? x : DoubleMath.Expm1((double)_alpha * x) / _alpha + _alpha;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Exp((double)_alpha * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => _alpha * Math.Exp((double)_alpha * x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => AlphaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"soft_exponential has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => ReferenceAlphaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"soft_exponential has 1 parameter(s)."),
    };

    // ∂f/∂α = (αx·e^(αx) − expm1(αx))/α² + 1; the difference cancels for small αx, where its series Σ (n−1)uⁿ/n!, u = αx, is used.
    private V AlphaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Create(_alpha == 0f ? 1f : _alpha);
        V u = a * x;
        V p = V.Create(10f / 39916800f);
        p = V.Fma(p, u, V.Create(9f / 3628800f));
        p = V.Fma(p, u, V.Create(8f / 362880f));
        p = V.Fma(p, u, V.Create(7f / 40320f));
        p = V.Fma(p, u, V.Create(6f / 5040f));
        p = V.Fma(p, u, V.Create(5f / 720f));
        p = V.Fma(p, u, V.Create(4f / 120f));
        p = V.Fma(p, u, V.Create(3f / 24f));
        p = V.Fma(p, u, V.Create(2f / 6f));
        p = V.Fma(p, u, V.Create(0.5f));
        V series = x * x * p;
        V direct = (u * VMath.Exp(u) - VMath.Expm1(u)) / (a * a);
        return V.Select(V.LessThan(V.Abs(u), V.Create(0.5f)), series, direct) + V.Create(1f);
    }

    private double ReferenceAlphaDerivative(double x)
    {
        double a = _alpha == 0 ? 1 : _alpha, u = a * x;
        if (Math.Abs(u) < 0.5)
        {
            double sum = 0, term = x * x / 2;   // (n−1)·uⁿ/(n!·a²) from n = 2
            for (int n = 2; n < 30; n++)
            {
                sum += term;
                term *= u * n / ((n + 1) * (double)(n - 1));
            }
            return sum + 1;
        }
        return (u * Math.Exp(u) - DoubleMath.Expm1(u)) / (a * a) + 1;
    }
}
