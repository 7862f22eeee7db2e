using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x/(x/α + e^(−x/β)) (α = 2, β = 3); f′ = e^(−x/β)·(1 + x/β)/(x/α + e^(−x/β))².
/// Zhou et al., "Soft-Root-Sign Activation Function", 2020.
/// </summary>
internal readonly struct SoftRootSign(float alpha, float beta) : IParametricActivationKernel, IReferenceSecondDerivative<SoftRootSign>
{
    private readonly float _alpha = alpha;
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "soft_root_sign", Aliases = ["srs"], Family = "sigmoid",
        Formula = "x/(x/alpha + exp(−x/beta))",
        Derivative = "exp(−x/beta)·(1 + x/beta)/(x/alpha + exp(−x/beta))²",
        Parameters = [new("alpha", 2.0, "upper bound (f → alpha as x → ∞)", Min: 0.01),
            new("beta", 3.0, "decay scale of the negative side", Min: 0.01)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Soft-Root-Sign Activation Function", Year = 2020,
        Notes = "For x < 0 numerator and denominator are multiplied by e^(x/beta) ≤ 1, so nothing overflows: f = x·e/(x·e/alpha + 1). f(−∞) = −0, f(+∞) = alpha; minimum at x = −beta.",
    }, p => new SoftRootSign((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        var (neg, e, den) = Parts(x);
        V y = V.Select(neg, x * e, x) / den;
        y = V.Select(V.Equals(x, V.Create(float.PositiveInfinity)), V.Create(_alpha), y);
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (_, e, den) = Parts(x);
        V d = e * (V.Create(1f) + x / V.Create(_beta)) / den / den;
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsPositiveInfinity(x)) return _alpha;
        if (double.IsNegativeInfinity(x)) return -0.0;
        double e = Math.Exp(-Math.Abs(x) / _beta);
        return x < 0 ? x * e / (x * e / _alpha + 1) : x / (x / _alpha + e);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double e = Math.Exp(-Math.Abs(x) / _beta);
        double den = x < 0 ? x * e / _alpha + 1 : x / _alpha + e;
        return e * (1 + x / _beta) / (den * den);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // f′ = N/D², N = E(1 + x/β), D = x/α + E, E = e^(−x/β); f″ = (N′D − 2ND′)/D³. For x < 0 everything is scaled
        // by e = e^(x/β) = 1/E so nothing overflows: f″ = e·(N′e·De − 2·Ne·D′e)/(De)³.
        if (double.IsInfinity(x)) return 0;
        double b = _beta, al = _alpha;
        if (x >= 0)
        {
            double E = Math.Exp(-x / b), n = E * (1 + x / b), n1 = -E * x / (b * b), d = x / al + E, d1 = 1 / al - E / b;
            return (n1 * d - 2 * n * d1) / (d * d * d);
        }
        double e = Math.Exp(x / b), de = x * e / al + 1, ne = 1 + x / b, n1e = -x / (b * b), d1e = e / al - 1 / b;
        return e * (n1e * de - 2 * ne * d1e) / (de * de * de);
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => Sq(y / V.Create(_alpha)),
        1 => BetaDerivative(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"soft_root_sign has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => (Reference(x) / _alpha) * (Reference(x) / _alpha),
        1 => ReferenceBetaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"soft_root_sign has 2 parameter(s)."),
    };

    // e = e^(−|x|/β) and the denominator after scaling by e for x < 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (V Neg, V E, V Den) Parts<V>(V x) where V : struct, ISimdVec<V>
    {
        V neg = V.LessThan(x, V.Create(0f));
        V e = VMath.Exp(-V.Abs(x) / V.Create(_beta));
        V den = V.Select(neg, x * e / V.Create(_alpha) + V.Create(1f), x / V.Create(_alpha) + e);
        return (neg, e, den);
    }

    private static V Sq<V>(V v) where V : struct, ISimdVec<V> => v * v;

    // ∂f/∂β = −(x/den)²·e/β² (x/den = f for x ≥ 0); 0 at ±∞.
    private V BetaDerivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (neg, e, den) = Parts(x);
        V q = V.Select(neg, x / den, y);
        V d = -(q * q) * e / V.Create(_beta * _beta);
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), d);
    }

    private double ReferenceBetaDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double e = Math.Exp(-Math.Abs(x) / _beta);
        double q = x < 0 ? x / (x * e / _alpha + 1) : x / (x / _alpha + e);
        return -q * q * e / ((double)_beta * _beta);
    }
}
