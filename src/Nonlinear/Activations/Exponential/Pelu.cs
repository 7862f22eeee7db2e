using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (a/b)·x for x &gt; 0, a·(e^(x/b) − 1) otherwise; f′ = a/b or (a/b)·e^(x/b). Defaults a = b = 1 (ELU).
/// Trottier, Giguère and Chaib-draa, "Parametric Exponential Linear Unit for Deep Convolutional Neural Networks", 2017.
/// </summary>
internal readonly struct Pelu(float a, float b) : IParametricActivationKernel, IReferenceSecondDerivative<Pelu>
{
    private readonly float _a = a;
    private readonly float _b = b;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "pelu", Family = "exponential",
        Formula = "x > 0 ? (a/b)·x : a·(exp(x/b) − 1)",
        Derivative = "x > 0 ? a/b : (a/b)·exp(x/b)",
        Parameters = [new("a", 1.0, "saturation level (−a as x → −∞)", Min: 0.001),
            new("b", 1.0, "exponential scale", Min: 0.001)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Parametric Exponential Linear Unit for Deep Convolutional Neural Networks", Year = 2017,
        Notes = "f′(0) = a/b (both sides agree, so it is C¹ for every a, b > 0). expm1 of min(x, 0): no exp on the positive side.",
    }, p => new Pelu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(_a / _b) * x, V.Create(_a) * VMath.Expm1(V.Min(x, V.Create(0f)) / V.Create(_b)));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(_a / _b) * V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), VMath.Exp(V.Min(x, V.Create(0f)) / V.Create(_b)));
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? (double)_a / _b * x : _a * DoubleMath.Expm1(x / _b);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => (double)_a / _b * (x > 0 ? 1 : Math.Exp(x / _b));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => x > 0 ? 0 : (double)_a / ((double)_b * _b) * Math.Exp(x / _b);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => V.Select(V.GreaterThan(x, V.Create(0f)), x / V.Create(_b), VMath.Expm1(V.Min(x, V.Create(0f)) / V.Create(_b))),
        1 => BDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"pelu has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x > 0 ? x / _b : DoubleMath.Expm1(x / _b),
        1 => double.IsNegativeInfinity(x) ? 0 : -(double)_a * x / ((double)_b * _b) * (x > 0 ? 1 : Math.Exp(x / _b)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"pelu has 2 parameter(s)."),
    };

    // ∂f/∂b = −a·x/b²·(x > 0 ? 1 : e^(x/b)); the negative side clamped at −1e30 so it is 0 (not ∞·0) at −∞.
    private V BDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V xn = V.Max(V.Min(x, V.Create(0f)), V.Create(-1e30f));
        V neg = xn * VMath.Exp(xn / V.Create(_b));
        return -V.Create(_a / (_b * _b)) * V.Select(V.GreaterThan(x, V.Create(0f)), x, neg);
    }
}
