using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·erf(γ·ln(1 + e^(δx))) (γ = δ = 1: Serf); f′ = erf(u) + x·(2/√π)·e^(−u²)·γ·δ·σ(δx), u = γ·softplus(δx).
/// Biswas et al., "ErfAct and Pserf: Non-monotonic Smooth Trainable Activation Functions", 2022.
/// </summary>
internal readonly struct Pserf(float gamma, float delta) : IParametricActivationKernel, IReferenceSecondDerivative<Pserf>
{
    private readonly float _gamma = gamma;
    private readonly float _delta = delta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "pserf", Family = "gated",
        Formula = "x·erf(gamma·ln(1 + exp(delta·x)))",
        Derivative = "erf(u) + x·(2/√π)·exp(−u²)·gamma·delta·σ(delta·x), u = gamma·softplus(delta·x)",
        Parameters = [new("gamma", 1.0, "gate scale (trainable in the paper)", Min: 0),
            new("delta", 1.0, "gate rate (trainable in the paper)", Min: 0)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "ErfAct and Pserf: Non-monotonic Smooth Trainable Activation Functions", Year = 2022,
        Notes = "With gamma = delta = 1 it is serf (our default; the paper trains both). pserf(−∞) = −0.",
    }, p => new Pserf((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * VMath.Erf(V.Create(_gamma) * VMath.Softplus(V.Create(_delta) * x));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (xc, sp, e) = Parts(x);
        V g = xc * V.Create(1.12837917f * _gamma * _delta) * e;
        return V.Fma(g, VMath.Sigmoid(V.Create(_delta) * xc), VMath.Erf(V.Create(_gamma) * sp));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * DoubleMath.Erf(_gamma * DoubleMath.Softplus(_delta * x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double u = _gamma * DoubleMath.Softplus(_delta * x);
        return DoubleMath.Erf(u) + x * 1.1283791670955126 * Math.Exp(-u * u) * _gamma * _delta * DoubleMath.Sigmoid(_delta * x);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // u = γ·softplus(δx): f″ = (2/√π)·e^(−u²)·(2u′ − 2x·u·u′² + x·u″), u′ = γδσ(δx), u″ = γδ²σσ̄(δx).
        if (double.IsInfinity(x)) return 0;
        double dx = _delta * x, u = _gamma * DoubleMath.Softplus(dx), e = Math.Exp(-u * u);
        if (e == 0) return 0;
        double u1 = (double)_gamma * _delta * DoubleMath.Sigmoid(dx), u2 = (double)_gamma * _delta * _delta * SecondDerivativeMath.SigmoidSlope(dx);
        return SecondDerivativeMath.TwoOverSqrtPi * e * (2 * u1 - 2 * x * u * u1 * u1 + x * u2);
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => GammaDerivative(x),
        1 => DeltaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"pserf has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => double.IsInfinity(x) ? 0 : x * 1.1283791670955126 * Math.Exp(-Sq(_gamma * DoubleMath.Softplus(_delta * x))) * DoubleMath.Softplus(_delta * x),
        1 => double.IsInfinity(x) ? 0 : x * x * 1.1283791670955126 * Math.Exp(-Sq(_gamma * DoubleMath.Softplus(_delta * x))) * _gamma * DoubleMath.Sigmoid(_delta * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"pserf has 2 parameter(s)."),
    };

    // x clamped to ±1e4 (the exponential factor is exactly 0 beyond), sp = softplus(δx), e = e^(−(γ·sp)²).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (V Xc, V Sp, V E) Parts<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e4f)), V.Create(1e4f));
        V sp = VMath.Softplus(V.Create(_delta) * xc);
        return (xc, sp, SmoothMath.ExpNegSquare(V.Create(_gamma) * sp, 1f));
    }

    private V GammaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        var (xc, sp, e) = Parts(x);
        return xc * V.Create(1.12837917f) * e * sp;
    }

    private V DeltaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        var (xc, _, e) = Parts(x);
        return xc * xc * V.Create(1.12837917f * _gamma) * e * VMath.Sigmoid(V.Create(_delta) * xc);
    }

    private static double Sq(double v) => v * v;
}
