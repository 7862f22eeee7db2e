using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·tanh(softplus(x + β)) (β = −0.25), a shifted-gate Mish; f′ = t + x·σ(x + β)·(1 − t²), t = tanh(softplus(x + β)).
/// </summary>
internal readonly struct Mila(float beta) : IParametricActivationKernel, IReferenceSecondDerivative<Mila>
{
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "mila", Family = "gated",
        Formula = "x·tanh(ln(1 + exp(x + beta)))",
        Derivative = "t + x·σ(x + beta)·(1 − t²), t = tanh(softplus(x + beta))",
        Parameters = [new("beta", -0.25, "shift of the gate (beta = 0 is mish)")],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "D. Misra's Mila (listed in the survey). tanh(softplus(z)) as a rational function of e = e^(−|z|), as in Mish: no overflow, and 1 − t is the exact remainder. mila(−∞) = −0.",
    }, p => new Mila((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        var (num, den, _) = Parts(x + V.Create(_beta));
        V y = x * (num / den);
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-200f)), V.Create(200f));
        V z = xc + V.Create(_beta);
        var (num, den, e) = Parts(z);
        V pos = V.GreaterThanOrEqual(z, V.Create(0f));
        V t = num / den;
        V omt = V.Select(pos, V.Create(2f) * e * e, V.Create(2f)) / den;
        V sig = V.Select(pos, V.Create(1f), e) / (V.Create(1f) + e);
        return V.Fma(xc * sig, omt * (V.Create(1f) + t), t);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * Math.Tanh(DoubleMath.Softplus(x + _beta));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double z = x + _beta, sp = DoubleMath.Softplus(z), c = Math.Cosh(sp);
        return Math.Tanh(sp) + x * DoubleMath.Sigmoid(z) / (c * c);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // T = tanh(softplus(z)), z = x + β: f″ = σ(z)·sech²(softplus z)·(2 + x·(σ(−z) − 2T·σ(z))).
        if (double.IsInfinity(x)) return 0;
        double z = x + _beta, sp = DoubleMath.Softplus(z), s = DoubleMath.Sigmoid(z);
        double w = s * SmoothMath.Sech2(sp);
        return w == 0 ? 0 : w * (2 + x * (DoubleMath.Sigmoid(-z) - 2 * Math.Tanh(sp) * s));
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => BetaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"mila has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => double.IsInfinity(x) ? 0 : x * DoubleMath.Sigmoid(x + _beta) / Sq(Math.Cosh(DoubleMath.Softplus(x + _beta))),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"mila has 1 parameter(s)."),
    };

    // tanh(softplus(z)) = num/den with e = e^(−|z|): (1 + 2e)/(1 + 2e + 2e²) for z ≥ 0, (e² + 2e)/(e² + 2e + 2) for z < 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (V Num, V Den, V E) Parts<V>(V z) where V : struct, ISimdVec<V>
    {
        V e = VMath.Exp(-V.Abs(z));
        V pos = V.GreaterThanOrEqual(z, V.Create(0f));
        V num = V.Select(pos, V.Fma(V.Create(2f), e, V.Create(1f)), e * (e + V.Create(2f)));
        return (num, num + V.Select(pos, V.Create(2f) * e * e, V.Create(2f)), e);
    }

    // ∂f/∂β = x·σ(z)·(1 − t²).
    private V BetaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-200f)), V.Create(200f));
        V z = xc + V.Create(_beta);
        var (num, den, e) = Parts(z);
        V pos = V.GreaterThanOrEqual(z, V.Create(0f));
        V omt = V.Select(pos, V.Create(2f) * e * e, V.Create(2f)) / den;
        V sig = V.Select(pos, V.Create(1f), e) / (V.Create(1f) + e);
        return xc * sig * omt * (V.Create(1f) + num / den);
    }

    private static double Sq(double v) => v * v;
}
