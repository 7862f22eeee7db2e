using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = cos(ω·x)·exp(−(s·x)²) (ω = 20, s = 10), the real Gabor wavelet; f′ = −(ω·sin(ωx) + 2s²x·cos(ωx))·exp(−(sx)²).
/// Saragadam et al., "WIRE: Wavelet Implicit Neural Representations", 2023.
/// </summary>
internal readonly struct Gabor(float omega, float s) : IParametricActivationKernel, IReferenceSecondDerivative<Gabor>
{
    private readonly float _omega = omega;
    private readonly float _s = s;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "gabor", Family = "radial",
        Formula = "cos(omega·x)·exp(−(s·x)²)",
        Derivative = "−(omega·sin(omega·x) + 2·s²·x·cos(omega·x))·exp(−(s·x)²)",
        Parameters = [new("omega", 20.0, "frequency", Min: 0),
            new("s", 10.0, "inverse width", Min: 0.001)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "WIRE: Wavelet Implicit Neural Representations", Year = 2023,
        Notes = "WIRE uses the complex wavelet; this is its real part. omega = 20, s = 10 are our defaults. omega·x is carried as hi + lo into sin/cos. Exactly +0 for |s·x| > 40 (the true value underflows double).",
    }, p => new Gabor((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V u = V.Create(_s) * x;
        var (_, c) = SmoothMath.SinCosScaled(V.Min(V.Max(x, V.Create(-1e4f)), V.Create(1e4f)), _omega);
        V y = c * SmoothMath.ExpNegSquare(x, _s * _s);
        return V.Select(V.GreaterThan(V.Abs(u), V.Create(40f)), V.Create(0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (xc, s, c, e) = Parts(x);
        V d = -V.Fma(V.Create(_omega), s, V.Create(2f * _s * _s) * xc * c) * e;
        return V.Select(V.GreaterThan(V.Abs(V.Create(_s) * x), V.Create(40f)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        Math.Abs(_s * x) > 40 ? 0 : Math.Cos(_omega * x) * Math.Exp(-(_s * x) * (_s * x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        Math.Abs(_s * x) > 40 ? 0 : -(_omega * Math.Sin(_omega * x) + 2.0 * _s * _s * x * Math.Cos(_omega * x)) * Math.Exp(-(_s * x) * (_s * x));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (Math.Abs(_s * x) > 40) return 0;
        double s2 = (double)_s * _s, w = _omega, e = Math.Exp(-(_s * x) * (_s * x));
        return e * (Math.Cos(w * x) * (4 * s2 * s2 * x * x - 2 * s2 - w * w) + 4 * s2 * w * x * Math.Sin(w * x));
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => OmegaDerivative(x),
        1 => SDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"gabor has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => Math.Abs(_s * x) > 40 ? 0 : -x * Math.Sin(_omega * x) * Math.Exp(-(_s * x) * (_s * x)),
        1 => Math.Abs(_s * x) > 40 ? 0 : -2.0 * _s * x * x * Math.Cos(_omega * x) * Math.Exp(-(_s * x) * (_s * x)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"gabor has 2 parameter(s)."),
    };

    // x clamped to |s·x| ≤ 40 (beyond, every term is 0), sin and cos of ωx, and exp(−(sx)²).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (V Xc, V S, V C, V E) Parts<V>(V x) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-40f / _s)), V.Create(40f / _s));
        var (s, c) = SmoothMath.SinCosScaled(xc, _omega);
        return (xc, s, c, SmoothMath.ExpNegSquare(xc, _s * _s));
    }

    private V OmegaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        var (xc, s, _, e) = Parts(x);
        return V.Select(V.GreaterThan(V.Abs(V.Create(_s) * x), V.Create(40f)), V.Create(0f), -xc * s * e);
    }

    private V SDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        var (xc, _, c, e) = Parts(x);
        return V.Select(V.GreaterThan(V.Abs(V.Create(_s) * x), V.Create(40f)), V.Create(0f), V.Create(-2f * _s) * xc * xc * c * e);
    }
}
