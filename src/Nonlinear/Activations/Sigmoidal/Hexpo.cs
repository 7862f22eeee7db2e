using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = −a·(e^(−x/b) − 1) for x ≥ 0, c·(e^(x/d) − 1) otherwise; f′ = (a/b)·e^(−x/b) or (c/d)·e^(x/d). Defaults 1.
/// Kong and Takatsuka, "Hexpo: A vanishing-proof activation function", 2017.
/// </summary>
internal readonly struct Hexpo(float a, float b, float c, float d) : IParametricActivationKernel, IReferenceSecondDerivative<Hexpo>
{
    private readonly float _a = a;
    private readonly float _b = b;
    private readonly float _c = c;
    private readonly float _d = d;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "hexpo", Family = "sigmoid",
        Formula = "x ≥ 0 ? −a·(exp(−x/b) − 1) : c·(exp(x/d) − 1)",
        Derivative = "x ≥ 0 ? (a/b)·exp(−x/b) : (c/d)·exp(x/d)",
        Parameters = [new("a", 1.0, "positive saturation level", Min: 0),
            new("b", 1.0, "positive-side scale", Min: 0.001),
            new("c", 1.0, "negative saturation level", Min: 0),
            new("d", 1.0, "negative-side scale", Min: 0.001)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Hexpo: A vanishing-proof activation function", Year = 2017,
        Notes = "Both sides through expm1 of a non-positive argument (no overflow, relative accuracy near 0). C¹ at 0 only when a/b = c/d (true at the defaults); f′(0) = a/b.",
    }, p => new Hexpo((float)p[0], (float)p[1], (float)p[2], (float)p[3]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V pos = -V.Create(_a) * VMath.Expm1(-x / V.Create(_b)); // x ≥ 0 or −0 where selected (−0 gives −0)
        V neg = V.Create(_c) * VMath.Expm1(V.Min(x, V.Create(0f)) / V.Create(_d));
        return V.Select(V.LessThan(x, V.Create(0f)), neg, pos);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V pos = V.Create(_a / _b) * VMath.Exp(-V.Max(x, V.Create(0f)) / V.Create(_b));
        V neg = V.Create(_c / _d) * VMath.Exp(V.Min(x, V.Create(0f)) / V.Create(_d));
        return V.Select(V.LessThan(x, V.Create(0f)), neg, pos);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        x < 0 ? _c * DoubleMath.Expm1(x / _d) : -_a * DoubleMath.Expm1(-x / _b);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        x < 0 ? (double)_c / _d * Math.Exp(x / _d) : (double)_a / _b * Math.Exp(-x / _b);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => x < 0 ? (double)_c / ((double)_d * _d) * Math.Exp(x / _d) : -(double)_a / ((double)_b * _b) * Math.Exp(-x / _b);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => V.Select(V.LessThan(x, V.Create(0f)), V.Create(0f), -VMath.Expm1(-V.Max(x, V.Create(0f)) / V.Create(_b))),
        1 => V.Select(V.LessThan(x, V.Create(0f)), V.Create(0f), Scaled(x, _a, _b)),
        2 => V.Select(V.LessThan(x, V.Create(0f)), VMath.Expm1(V.Min(x, V.Create(0f)) / V.Create(_d)), V.Create(0f)),
        3 => V.Select(V.LessThan(x, V.Create(0f)), Scaled(x, _c, _d), V.Create(0f)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"hexpo has 4 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x < 0 ? 0 : -DoubleMath.Expm1(-x / _b),
        1 => x < 0 || double.IsInfinity(x) ? 0 : -(double)_a * x / ((double)_b * _b) * Math.Exp(-x / _b),
        2 => x < 0 ? DoubleMath.Expm1(x / _d) : 0,
        3 => x >= 0 || double.IsInfinity(x) ? 0 : -(double)_c * x / ((double)_d * _d) * Math.Exp(x / _d),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"hexpo has 4 parameter(s)."),
    };

    // ∂/∂scale of k·(e^(∓x/s) − 1) on its side: −k·(x/s²)·e^(−|x|/s); |x| clamped so it is 0 (not ∞·0) at ±∞.
    private static V Scaled<V>(V x, float k, float s) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f));
        return -V.Create(k) * (xc / V.Create(s * s)) * VMath.Exp(-V.Abs(xc) / V.Create(s));
    }
}
