using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x for x &gt; 0, α·(e^(βx) − 1) otherwise; f′ = 1 or α·β·e^(βx). Defaults α = β = 1 (ELU).
/// Li, Ouyang et al., "Improving deep neural network with Multiple Parametric Exponential Linear Units", 2018.
/// </summary>
internal readonly struct Mpelu(float alpha, float beta) : IParametricActivationKernel, IReferenceSecondDerivative<Mpelu>
{
    private readonly float _alpha = alpha;
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "mpelu", Family = "exponential",
        Formula = "x > 0 ? x : alpha·(exp(beta·x) − 1)",
        Derivative = "x > 0 ? 1 : alpha·beta·exp(beta·x)",
        Parameters = [new("alpha", 1.0, "saturation level", Min: 0),
            new("beta", 1.0, "exponential rate", Min: 0)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Improving deep neural network with Multiple Parametric Exponential Linear Units", Year = 2018,
        Notes = "C¹ at 0 only when alpha·beta = 1 (true at the defaults); f′(0) = alpha·beta (the x ≤ 0 branch).",
    }, p => new Mpelu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), x, V.Create(_alpha) * VMath.Expm1(V.Create(_beta) * V.Min(x, V.Create(0f))));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(_alpha * _beta) * VMath.Exp(V.Create(_beta) * V.Min(x, V.Create(0f))));
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : _alpha * DoubleMath.Expm1(_beta * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : (double)_alpha * _beta * Math.Exp(_beta * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => x > 0 ? 0 : (double)_alpha * _beta * _beta * Math.Exp(_beta * x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(0f), VMath.Expm1(V.Create(_beta) * V.Min(x, V.Create(0f)))),
        1 => BetaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"mpelu has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x > 0 ? 0 : DoubleMath.Expm1(_beta * x),
        1 => x > 0 || double.IsInfinity(x) ? 0 : _alpha * x * Math.Exp(_beta * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"mpelu has 2 parameter(s)."),
    };

    // ∂f/∂β = α·x·e^(βx) on the negative side (clamped at −1e30: 0, not ∞·0, at −∞).
    private V BetaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xn = V.Max(V.Min(x, V.Create(0f)), V.Create(-1e30f));
        return V.Create(_alpha) * xn * VMath.Exp(V.Create(_beta) * xn);
    }
}
