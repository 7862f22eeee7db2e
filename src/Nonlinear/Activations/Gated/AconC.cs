using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (p₁ − p₂)·x·σ(β(p₁ − p₂)x) + p₂·x; f′ = (p₁ − p₂)·σ(z)(1 + z·σ(−z)) + p₂, z = β(p₁ − p₂)x.
/// Ma, Zhang, Liu, Sun and Sun, "Activate or Not: Learning Customized Activation", 2021.
/// </summary>
internal readonly struct AconC(float p1, float p2, float beta) : IParametricActivationKernel, IReferenceSecondDerivative<AconC>
{
    private readonly float _p1 = p1;
    private readonly float _p2 = p2;
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "acon_c", Family = "gated",
        Formula = "(p1 − p2)·x·σ(beta·(p1 − p2)·x) + p2·x",
        Derivative = "(p1 − p2)·σ(z)·(1 + z·σ(−z)) + p2, z = beta·(p1 − p2)·x",
        Parameters = [new("p1", 1.0, "upper slope"),
            new("p2", 0.0, "lower slope"),
            new("beta", 1.0, "switching factor (0: linear mean, ∞: max(p1·x, p2·x))")],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Activate or Not: Learning Customized Activation", Year = 2021,
        Notes = "With the defaults (p1 = 1, p2 = 0, beta = 1) it is SiLU; the paper learns p1, p2 (per channel) and beta. Runs on the Silu kernel with beta·(p1 − p2) rounded to float.",
    }, p => new AconC((float)p[0], (float)p[1], (float)p[2]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        float dp = _p1 - _p2;
        V y = V.Create(dp) * new Silu(_beta * dp).Forward(x);
        return _p2 == 0f ? y : V.Fma(V.Create(_p2), x, y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(_p1 - _p2) * new Silu(_beta * (_p1 - _p2)).Derivative(x, y) + V.Create(_p2);
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double dp = (double)_p1 - _p2, z = _beta * dp * x, s = DoubleMath.Sigmoid(z);
        double g = double.IsInfinity(x) && s == 0 ? Math.CopySign(0.0, x) : x * s;
        return _p2 == 0 ? dp * g : dp * g + _p2 * x;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double dp = (double)_p1 - _p2, z = _beta * dp * x, s = DoubleMath.Sigmoid(z);
        return dp * (double.IsInfinity(z) ? s : s * (1 + z * DoubleMath.Sigmoid(-z))) + _p2;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double dp = (double)_p1 - _p2;
        return dp * dp * _beta * SecondDerivativeMath.SiluSecond(_beta * dp * x);
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => SlopeDerivative(x),
        1 => V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f)) - SlopeDerivative(x),
        2 => BetaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"acon_c has 3 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => ReferenceSlopeDerivative(x),
        1 => Math.Clamp(x, -1e30, 1e30) - ReferenceSlopeDerivative(x),
        2 => ReferenceBetaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"acon_c has 3 parameter(s)."),
    };

    // ∂f/∂p1 = x·σ(z)(1 + z·σ(−z)); |x| clamped at 1e30 so it is finite (0 in the saturated tail), never ∞·0.
    private V SlopeDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f));
        return xc * new Silu(1f).Derivative(V.Create(_beta * (_p1 - _p2)) * xc, xc);
    }

    // ∂f/∂β = (p1 − p2)²·x²·σ(z)σ(−z).
    private V BetaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f));
        var (s, sm) = SmoothMath.SigmoidPair(V.Create(_beta * (_p1 - _p2)) * xc);
        float dp = _p1 - _p2;
        V dx = V.Create(dp) * xc;
        return dx * dx * s * sm;
    }

    private double ReferenceSlopeDerivative(double x)
    {
        double xc = Math.Clamp(x, -1e30, 1e30), z = _beta * ((double)_p1 - _p2) * xc, s = DoubleMath.Sigmoid(z);
        return xc * s * (1 + z * DoubleMath.Sigmoid(-z));
    }

    private double ReferenceBetaDerivative(double x)
    {
        double xc = Math.Clamp(x, -1e30, 1e30), dp = (double)_p1 - _p2, z = _beta * dp * xc;
        return dp * dp * xc * xc * DoubleMath.Sigmoid(z) * DoubleMath.Sigmoid(-z);
    }
}
