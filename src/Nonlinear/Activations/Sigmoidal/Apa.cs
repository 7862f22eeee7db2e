using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (λ·e^(−κx) + 1)^(−1/λ) (κ = λ = 1: the sigmoid); f′ = κ·f/(λ + e^(κx)).
/// Alexandridis et al., "Adaptive Parametric Activation", 2024 (a Richards curve; λ → 0 gives the Gompertz gate).
/// </summary>
internal readonly struct Apa(float kappa, float lambda) : IParametricActivationKernel, IReferenceSecondDerivative<Apa>
{
    private readonly float _kappa = kappa;
    private readonly float _lambda = lambda;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "apa_fixed", Aliases = [], Family = "sigmoid",
        Formula = "(lambda·exp(−kappa·x) + 1)^(−1/lambda)",
        Derivative = "kappa·y/(lambda + exp(kappa·x))",
        Parameters = [new("kappa", 1.0, "slope", Min: 0),
            new("lambda", 1.0, "asymmetry (1: logistic, → 0: Gompertz)", Min: 0.01)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Adaptive Parametric Activation", Year = 2024,
        Notes = "Fixed κ and λ (hyper-parameters, not trained); the learnable unit is \"apa\". Computed as exp(−L/λ) with L = ln(1 + λe^w), w = −κx, written as w + ln(λ + e^−w) for w > 0 so no exponential overflows.",
    }, p => new Apa((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => Value(x, out _, out _);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V f = Value(x, out _, out V ew);
        // 1/(λ + e^(−w)): e^(−w) = ∞ gives 0, the limit.
        return V.Create(_kappa) * f / (V.Create(_lambda) + ew);
    }
    /// <inheritdoc/>
    public double Reference(double x) => ReferenceValue(x, out _, out _);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double f = ReferenceValue(x, out _, out double ew);
        return _kappa * f / (_lambda + ew);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // A′ = κA/(λ + w), w = e^(κx), so A″ = κA′·(1 − w)/(λ + w), written with w/(λ + w) = 1/(λ/w + 1) so w = ∞ gives −1.
        double w = Math.Exp(_kappa * x), a1 = ReferenceDerivative(x);
        return a1 == 0 ? 0 : _kappa * a1 * (1 / (_lambda + w) - 1 / (_lambda / w + 1));
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => KappaDerivative(x),
        1 => LambdaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"apa_fixed has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => ReferenceKappaDerivative(x),
        1 => ReferenceLambdaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"apa_fixed has 2 parameter(s)."),
    };

    // f, L = ln(1 + λe^w) and e^(−w) = e^(κx) for w = −κx.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal V Value<V>(V x, out V l, out V emw) where V : struct, ISimdVec<V>
    {
        V w = -V.Create(_kappa) * x;
        V e = VMath.Exp(-V.Abs(w));
        V pos = w + VMath.Log(V.Create(_lambda) + e);
        V neg = VMath.Log1p(V.Create(_lambda) * e);
        l = V.Select(V.GreaterThan(w, V.Create(0f)), pos, neg);
        emw = VMath.Exp(-w);
        return VMath.Exp(-l / V.Create(_lambda));
    }

    internal double ReferenceValue(double x, out double l, out double emw)
    {
        double w = -_kappa * x, e = Math.Exp(-Math.Abs(w));
        l = w > 0 ? w + Math.Log(_lambda + e) : DoubleMath.Log1p(_lambda * e);
        emw = Math.Exp(-w);
        return Math.Exp(-l / _lambda);
    }

    // ∂f/∂κ = f·x/(λ + e^(−w)); x clamped so the ratio is 0 (not ∞/∞) at +∞ and f·x is 0 at −∞.
    internal V KappaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f));
        V f = Value(xc, out _, out V ew);
        return f * xc / (V.Create(_lambda) + ew);
    }

    // ∂f/∂λ = f·(L/λ² − 1/(λ·(λ + e^(−w)))).
    internal V LambdaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f));
        V f = Value(xc, out V l, out V ew);
        V lam = V.Create(_lambda);
        return f * (l / (lam * lam) - V.Create(1f) / (lam * (lam + ew)));
    }

    internal double ReferenceKappaDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double f = ReferenceValue(x, out _, out double ew);
        return double.IsPositiveInfinity(ew) ? 0 : f * x / (_lambda + ew);
    }

    internal double ReferenceLambdaDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double f = ReferenceValue(x, out double l, out double ew);
        return f == 0 ? 0 : f * (l / ((double)_lambda * _lambda) - 1 / (_lambda * (_lambda + ew)));
    }
}
