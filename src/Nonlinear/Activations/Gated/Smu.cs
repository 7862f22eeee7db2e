using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = ((1 + α)x + (1 − α)x·erf(μ(1 − α)x))/2, a smooth max(x, αx); f′ = ((1 + α) + (1 − α)·erf(z))/2 + (1 − α)·x·μ(1 − α)·e^(−z²)/√π.
/// Biswas et al., "SMU: smooth activation function for deep networks using smoothing maximum technique", 2021.
/// </summary>
internal readonly struct Smu(float alpha, float mu) : IParametricActivationKernel, IReferenceSecondDerivative<Smu>
{
    private readonly float _alpha = alpha;
    private readonly float _mu = mu;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "smu", Aliases = ["smooth_maximum_unit"], Family = "gated",
        Formula = "((1 + alpha)·x + (1 − alpha)·x·erf(mu·(1 − alpha)·x))/2",
        Derivative = "((1 + alpha) + (1 − alpha)·erf(z))/2 + (1 − alpha)·mu·(1 − alpha)·x·exp(−z²)/√π, z = mu·(1 − alpha)·x",
        Parameters = [new("alpha", 0.01, "slope of the negative side", "the paper code: alpha = 0.25 with mu initialised at 1e6 (trainable)", Min: 0, Max: 1),
            new("mu", 2.5, "smoothness (mu → ∞ gives leaky_relu(alpha))", Min: 0.001)],
        Properties = ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "SMU: smooth activation function for deep networks using smoothing maximum technique", Year = 2021,
        Notes = "Written as x·(2·alpha + (1 − alpha)·erfc(−z))/2: the left side keeps relative accuracy (1 + erf(z) cancels there). mu·(1 − alpha) is rounded to float once.",
    }, p => new Smu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Create(0.5f) * x * V.Fma(V.Create(1f - _alpha), VMath.Erfc(-(V.Create(_mu * (1f - _alpha)) * x)), V.Create(2f * _alpha));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e10f)), V.Create(1e10f));
        float k = _mu * (1f - _alpha);
        V z = V.Create(k) * xc;
        V first = V.Create(0.5f) * V.Fma(V.Create(1f - _alpha), VMath.Erfc(-z), V.Create(2f * _alpha));
        return V.Fma(V.Create((1f - _alpha) * k * 0.564189584f) * xc, SmoothMath.ExpNegSquare(z, 1f), first);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double a = _alpha, z = _mu * (1 - a) * x;
        return 0.5 * x * (2 * a + (1 - a) * DoubleMath.Erfc(-z));
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : _alpha;
        double a = _alpha, k = _mu * (1 - a), z = k * x;
        return 0.5 * (2 * a + (1 - a) * DoubleMath.Erfc(-z)) + (1 - a) * k * x * Math.Exp(-z * z) / Math.Sqrt(Math.PI);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double a = _alpha, k = _mu * (1 - a), z = k * x;
        return 2 * (1 - a) * k * Math.Exp(-z * z) * (1 - z * z) / Math.Sqrt(Math.PI);
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => AlphaDerivative(x),
        1 => MuDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"smu has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => ReferenceAlphaDerivative(x),
        1 => ReferenceMuDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"smu has 2 parameter(s)."),
    };

    // ∂f/∂α = x·(erfc(z) − (1 − α)·μ·x·(2/√π)·e^(−z²))/2; −∞ at −∞, 0 at +∞.
    private V AlphaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e10f)), V.Create(1e10f));
        V z = V.Create(_mu * (1f - _alpha)) * xc;
        V d = V.Create(0.5f) * xc * (VMath.Erfc(z) - V.Create((1f - _alpha) * _mu * 1.12837917f) * xc * SmoothMath.ExpNegSquare(z, 1f));
        d = V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), x, d);
        return V.Select(V.Equals(x, V.Create(float.PositiveInfinity)), V.Create(0f), d);
    }

    // ∂f/∂μ = (1 − α)²·x²·e^(−z²)/√π.
    private V MuDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e10f)), V.Create(1e10f));
        V z = V.Create(_mu * (1f - _alpha)) * xc;
        return V.Create((1f - _alpha) * (1f - _alpha) * 0.564189584f) * xc * xc * SmoothMath.ExpNegSquare(z, 1f);
    }

    private double ReferenceAlphaDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 0 : x;
        double a = _alpha, z = _mu * (1 - a) * x;
        return 0.5 * x * (DoubleMath.Erfc(z) - (1 - a) * _mu * x * 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z));
    }

    private double ReferenceMuDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double a = _alpha, z = _mu * (1 - a) * x;
        return (1 - a) * (1 - a) * x * x * Math.Exp(-z * z) / Math.Sqrt(Math.PI);
    }
}
