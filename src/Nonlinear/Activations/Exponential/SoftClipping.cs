using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (1/α)·ln((1 + e^(αx))/(1 + e^(α(x − 1)))), a smooth clamp to [0, 1] (α = 50); f′ = σ(αx) − σ(α(x − 1)).
/// Klimek and Perelstein, "Neural network-based approach to phase space integration", 2018.
/// </summary>
internal readonly struct SoftClipping(float alpha) : IParametricActivationKernel, IReferenceSecondDerivative<SoftClipping>
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "soft_clipping", Family = "softplus",
        Formula = "ln((1 + exp(alpha·x))/(1 + exp(alpha·(x − 1))))/alpha",
        Derivative = "σ(alpha·x) − σ(alpha·(x − 1))",
        Parameters = [new("alpha", 50.0, "sharpness (∞: clamp(x, 0, 1))", Min: 0.01)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Neural network-based approach to phase space integration", Year = 2018,
        Notes = "alpha is a hyper-parameter in the paper; 50 is our default. Evaluated as clamp(x, 0, 1) + (L(alpha·x) − L(alpha·(x − 1)))/alpha with L(u) = log1p(e^−|u|): no overflow, and the big terms of the two softplus cancel exactly. f′ for x > 1/2 as σ(alpha(1 − x)) − σ(−alpha·x) (no 1 − 1 cancellation).",
    }, p => new SoftClipping((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V u1 = V.Create(_alpha) * x, u2 = V.Create(_alpha) * (x - V.Create(1f));
        V l = VMath.Log1p(VMath.Exp(-V.Abs(u1))) - VMath.Log1p(VMath.Exp(-V.Abs(u2)));
        return V.Min(V.Max(x, V.Create(0f)), V.Create(1f)) + l / V.Create(_alpha);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s1, s1m) = SmoothMath.SigmoidPair(V.Create(_alpha) * x);
        var (s2, s2m) = SmoothMath.SigmoidPair(V.Create(_alpha) * (x - V.Create(1f)));
        return V.Select(V.GreaterThan(x, V.Create(0.5f)), s2m - s1m, s1 - s2);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double u1 = _alpha * x, u2 = _alpha * (x - 1);
        double l = DoubleMath.Log1p(Math.Exp(-Math.Abs(u1))) - DoubleMath.Log1p(Math.Exp(-Math.Abs(u2)));
        return Math.Clamp(x, 0, 1) + l / _alpha;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double u1 = _alpha * x, u2 = _alpha * (x - 1);
        return x > 0.5 ? DoubleMath.Sigmoid(-u2) - DoubleMath.Sigmoid(-u1) : DoubleMath.Sigmoid(u1) - DoubleMath.Sigmoid(u2);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => _alpha * (SecondDerivativeMath.SigmoidSlope(_alpha * x) - SecondDerivativeMath.SigmoidSlope(_alpha * (x - 1)));
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => AlphaDerivative(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"soft_clipping has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => ReferenceAlphaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"soft_clipping has 1 parameter(s)."),
    };

    // ∂f/∂α = (x·f′(x) + σ(α(x − 1)) − f)/α; |x| clamped at 1e30 so x·f′ is 0, not ∞·0.
    private V AlphaDerivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f));
        V f = Forward(xc);
        return (V.Fma(xc, Derivative(xc, f), VMath.Sigmoid(V.Create(_alpha) * (xc - V.Create(1f)))) - f) / V.Create(_alpha);
    }

    private double ReferenceAlphaDerivative(double x)
    {
        double xc = Math.Clamp(x, -1e30, 1e30);
        return (xc * ReferenceDerivative(xc) + DoubleMath.Sigmoid(_alpha * (xc - 1)) - Reference(xc)) / _alpha;
    }
}
