using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x for x &gt; 0, α·x·e^(βx) otherwise; f′ = 1 or α·e^(βx)·(1 + βx). Defaults α = β = 1 (REU).
/// Ying et al., "Rectified Exponential Units for Convolutional Neural Networks", 2019.
/// </summary>
internal readonly struct Preu(float alpha, float beta) : IParametricActivationKernel, IReferenceSecondDerivative<Preu>
{
    private readonly float _alpha = alpha;
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "preu", Family = "exponential",
        Formula = "x > 0 ? x : alpha·x·exp(beta·x)",
        Derivative = "x > 0 ? 1 : alpha·exp(beta·x)·(1 + beta·x)",
        Parameters = [new("alpha", 1.0, "negative-side scale", Min: 0),
            new("beta", 1.0, "negative-side rate", Min: 0.001)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Rectified Exponential Units for Convolutional Neural Networks", Year = 2019,
        Notes = "C¹ at 0 only when alpha = 1 (true at the defaults); f′(0) = alpha. preu(−∞) = −0.",
    }, p => new Preu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V xn = V.Min(x, V.Create(0f));
        V y = V.Select(V.GreaterThan(x, V.Create(0f)), x, V.Create(_alpha) * x * VMath.Exp(V.Create(_beta) * xn));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xn = V.Max(V.Min(x, V.Create(0f)), V.Create(-1e30f));
        V bx = V.Create(_beta) * xn;
        return V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(_alpha) * VMath.Exp(bx) * (V.Create(1f) + bx));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x > 0 ? x : _alpha * x * Math.Exp(_beta * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        double.IsNegativeInfinity(x) ? 0 : x > 0 ? 1 : _alpha * Math.Exp(_beta * x) * (1 + _beta * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNegativeInfinity(x) ? 0 : x > 0 ? 0 : (double)_alpha * _beta * Math.Exp(_beta * x) * (2 + _beta * x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => NegSide(x, V.Create(1f)),
        1 => NegSide(x, V.Create(_alpha) * V.Max(V.Min(x, V.Create(0f)), V.Create(-1e30f))),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"preu has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x > 0 || double.IsInfinity(x) ? 0 : x * Math.Exp(_beta * x),
        1 => x > 0 || double.IsInfinity(x) ? 0 : _alpha * x * x * Math.Exp(_beta * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"preu has 2 parameter(s)."),
    };

    // k·x·e^(βx) on the negative side, 0 on the positive side (x clamped at −1e30: 0, not ∞·0, at −∞).
    private V NegSide<V>(V x, V k) where V : struct, ISimdVec<V>
    {
        V xn = V.Max(V.Min(x, V.Create(0f)), V.Create(-1e30f));
        return V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(0f), k * xn * VMath.Exp(V.Create(_beta) * xn));
    }
}
