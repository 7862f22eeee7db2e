using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x for x &gt; 0, α·tanh(βx) otherwise; f′ = 1 or α·β·sech²(βx). Defaults α = β = 1.
/// Duggal and Gupta, "P-TELU: Parametric Tan Hyperbolic Linear Unit Activation for Deep Neural Networks", 2017.
/// </summary>
internal readonly struct Ptelu(float alpha, float beta) : IParametricActivationKernel, IReferenceSecondDerivative<Ptelu>
{
    private readonly float _alpha = alpha;
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "ptelu", Family = "exponential",
        Formula = "x > 0 ? x : alpha·tanh(beta·x)",
        Derivative = "x > 0 ? 1 : alpha·beta·sech²(beta·x)",
        Parameters = [new("alpha", 1.0, "saturation level", Min: 0),
            new("beta", 1.0, "rate", Min: 0)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "P-TELU: Parametric Tan Hyperbolic Linear Unit Activation for Deep Neural Networks", Year = 2017,
        Notes = "C¹ at 0 only when alpha·beta = 1 (true at the defaults); f′(0) = alpha·beta.",
    }, p => new Ptelu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), x, V.Create(_alpha) * VMath.Tanh(V.Create(_beta) * x));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(_alpha * _beta) * SmoothMath.Sech2(V.Create(_beta) * x));
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : _alpha * Math.Tanh(_beta * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        x > 0 ? 1 : (double)_alpha * _beta * SmoothMath.Sech2(_beta * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => x > 0 ? 0 : -2 * (double)_alpha * _beta * _beta * SecondDerivativeMath.TanhSech2(_beta * x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(0f), VMath.Tanh(V.Create(_beta) * x)),
        1 => BetaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"ptelu has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x > 0 ? 0 : Math.Tanh(_beta * x),
        1 => x > 0 || double.IsInfinity(x) ? 0 : _alpha * x * SmoothMath.Sech2(_beta * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"ptelu has 2 parameter(s)."),
    };

    private V BetaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xn = V.Max(V.Min(x, V.Create(0f)), V.Create(-1e30f));
        return V.Create(_alpha) * xn * SmoothMath.Sech2(V.Create(_beta) * xn);
    }
}
