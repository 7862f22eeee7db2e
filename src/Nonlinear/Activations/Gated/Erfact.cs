using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·erf(α·e^(βx)) (α = β = 0.75); f′ = erf(u) + x·(2/√π)·e^(−u²)·β·u, u = α·e^(βx).
/// Biswas et al., "ErfAct and Pserf: Non-monotonic Smooth Trainable Activation Functions", 2022.
/// </summary>
internal readonly struct Erfact(float alpha, float beta) : IParametricActivationKernel, IReferenceSecondDerivative<Erfact>
{
    private readonly float _alpha = alpha;
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "erfact", Family = "gated",
        Formula = "x·erf(alpha·exp(beta·x))",
        Derivative = "erf(u) + x·(2/√π)·exp(−u²)·beta·u, u = alpha·exp(beta·x)",
        Parameters = [new("alpha", 0.75, "gate scale (trainable in the paper)", Min: 0),
            new("beta", 0.75, "gate rate (trainable in the paper)", Min: 0)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "ErfAct and Pserf: Non-monotonic Smooth Trainable Activation Functions", Year = 2022,
        Notes = "alpha and beta are trainable in the paper; 0.75, 0.75 are our defaults. erfact(−∞) = −0. Backward clamps beta·x ≤ 80 so e^(−u²) is 0, not the product ∞·0.",
    }, p => new Erfact((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * VMath.Erf(V.Create(_alpha) * VMath.Exp(V.Create(_beta) * x));
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (xc, u, e) = Parts(x);
        return V.Fma(xc * u * V.Create(1.12837917f * _beta), e, VMath.Erf(u));
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? -0.0 : x * DoubleMath.Erf(_alpha * Math.Exp(_beta * x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double u = _alpha * Math.Exp(_beta * x);
        return u > 1e10 ? 1 : DoubleMath.Erf(u) + x * 1.1283791670955126 * Math.Exp(-u * u) * _beta * u;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double u = _alpha * Math.Exp(_beta * x);
        if (u > 1e10) return 0;
        return SecondDerivativeMath.TwoOverSqrtPi * _beta * u * Math.Exp(-u * u) * (2 + _beta * x - 2 * _beta * x * u * u);
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => AlphaDerivative(x),
        1 => BetaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"erfact has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => double.IsInfinity(x) || _alpha * Math.Exp(_beta * x) > 1e10 ? 0 : x * 1.1283791670955126 * Math.Exp(-Sq(_alpha * Math.Exp(_beta * x))) * Math.Exp(_beta * x),
        1 => double.IsInfinity(x) || _alpha * Math.Exp(_beta * x) > 1e10 ? 0 : x * x * 1.1283791670955126 * Math.Exp(-Sq(_alpha * Math.Exp(_beta * x))) * _alpha * Math.Exp(_beta * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"erfact has 2 parameter(s)."),
    };

    // x clamped to [−1e30, 80/β], u = α·e^(βx), e = e^(−u²).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (V Xc, V U, V E) Parts<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(80f / _beta));
        V u = V.Create(_alpha) * VMath.Exp(V.Create(_beta) * xc);
        return (xc, u, SmoothMath.ExpNegSquare(u, 1f));
    }

    // ∂f/∂α = x·(2/√π)·e^(−u²)·e^(βx) = x·(2/√π)·e^(−u²)·u/α.
    private V AlphaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        var (xc, u, e) = Parts(x);
        return xc * V.Create(1.12837917f) * e * VMath.Exp(V.Create(_beta) * xc);
    }

    // ∂f/∂β = x²·(2/√π)·e^(−u²)·u.
    private V BetaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        var (xc, u, e) = Parts(x);
        return xc * xc * V.Create(1.12837917f) * e * u;
    }

    private static double Sq(double v) => v * v;
}
