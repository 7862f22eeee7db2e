using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (x + a·sin(b·x))·σ(x) (a = b = 1); f′ = (1 + a·b·cos(bx))·σ(x) + (x + a·sin(bx))·σ(x)σ(−x).
/// Paul et al., "SinLU: Sinu-Sigmoidal Linear Unit", 2022.
/// </summary>
internal readonly struct Sinlu(float a, float b) : IParametricActivationKernel, IReferenceSecondDerivative<Sinlu>
{
    private readonly float _a = a;
    private readonly float _b = b;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "sinlu", Family = "gated",
        Formula = "(x + a·sin(b·x))·σ(x)",
        Derivative = "(1 + a·b·cos(b·x))·σ(x) + (x + a·sin(b·x))·σ(x)·σ(−x)",
        Parameters = [new("a", 1.0, "amplitude of the sine term"),
            new("b", 1.0, "frequency of the sine term")],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "SinLU: Sinu-Sigmoidal Linear Unit", Year = 2022,
        Notes = "sinlu(+∞) = +∞, sinlu(−∞) = −0; f′ has no limit at +∞ (NaN there) and is 0 at −∞. Accurate for |b·x| ≤ 1e6 (VMath.Sin).",
    }, p => new Sinlu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = V.Fma(V.Create(_a), VMath.Sin(V.Create(_b) * x), x) * VMath.Sigmoid(x);
        y = V.Select(V.Equals(x, V.Create(float.PositiveInfinity)), x, y);
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (sn, cs) = VMath.SinCos(V.Create(_b) * x);
        var (s, sm) = SmoothMath.SigmoidPair(x);
        V d = V.Fma(V.Create(_a * _b), cs, V.Create(1f)) * s + V.Fma(V.Create(_a), sn, x) * s * sm;
        return V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsPositiveInfinity(x) ? x : double.IsNegativeInfinity(x) ? -0.0 : (x + _a * Math.Sin((double)_b * x)) * DoubleMath.Sigmoid(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsNegativeInfinity(x)) return 0;
        double s = DoubleMath.Sigmoid(x), bx = (double)_b * x;
        return (1 + (double)_a * _b * Math.Cos(bx)) * s + (x + _a * Math.Sin(bx)) * s * DoubleMath.Sigmoid(-x);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // P = x + a·sin(bx): f″ = P″σ + 2P′σσ̄ + P·σσ̄·(σ̄ − σ).
        if (double.IsNegativeInfinity(x)) return 0;
        double bx = (double)_b * x, s = DoubleMath.Sigmoid(x), sm = DoubleMath.Sigmoid(-x), ss = SecondDerivativeMath.SigmoidSlope(x);
        double p = x + _a * Math.Sin(bx), p1 = 1 + (double)_a * _b * Math.Cos(bx), p2 = -(double)_a * _b * _b * Math.Sin(bx);
        return p2 * s + (ss == 0 ? 0 : 2 * p1 * ss + p * ss * (sm - s));
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => ZeroAtMinusInfinity(x, VMath.Sin(V.Create(_b) * x) * VMath.Sigmoid(x)),
        1 => ZeroAtMinusInfinity(x, V.Create(_a) * x * VMath.Cos(V.Create(_b) * x) * VMath.Sigmoid(x)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"sinlu has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => double.IsNegativeInfinity(x) ? 0 : Math.Sin((double)_b * x) * DoubleMath.Sigmoid(x),
        1 => double.IsNegativeInfinity(x) ? 0 : _a * x * Math.Cos((double)_b * x) * DoubleMath.Sigmoid(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"sinlu has 2 parameter(s)."),
    };

    private static V ZeroAtMinusInfinity<V>(V x, V v) where V : struct, ISimdVec<V> =>
        V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(0f), v);
}
