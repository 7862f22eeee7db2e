using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·(g(x)·(1 + 2α) − α) with the atan gate g, whose range is expanded to [−α, 1 + α]; f′ = (1 + 2α)·(x·g)′ − α.
/// Huang, "Expanded Gating Ranges Improve Activation Functions", 2024.
/// </summary>
internal readonly struct Xatlu(float alpha) : IParametricActivationKernel, IReferenceSecondDerivative<Xatlu>
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "xatlu", Family = "gated",
        Formula = "x·(g(x)·(1 + 2·alpha) − alpha), g = atan",
        Derivative = "(1 + 2·alpha)·(g(x) + x·g′(x)) − alpha",
        Parameters = [new("alpha", 0.0, "gate expansion (trainable per block in the paper); the gate range is [−alpha, 1 + alpha]", Min: -0.5)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Expanded Gating Ranges Improve Activation Functions", Year = 2024,
        Notes = "alpha = 0 gives ATLU. f(−∞) = +∞ for alpha > 0 and −∞ for alpha < 0.",
    }, p => new Xatlu((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V g = Atlu.Gate(x);
        V y = x * V.Fma(V.Create(1f + 2f * _alpha), g, V.Create(-_alpha));
        y = V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(NegInfinityLimit), y);
        return FarLeft(x, y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Fma(V.Create(1f + 2f * _alpha), Atlu.Slope(x), V.Create(-_alpha));
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? (_alpha > 0 ? double.PositiveInfinity : _alpha < 0 ? double.NegativeInfinity : -1 / Math.PI) : x * ((1 + 2.0 * _alpha) * Atlu.ReferenceGate(x) - _alpha);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => (1 + 2.0 * _alpha) * Atlu.ReferenceSlope(x) - _alpha;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double r = 1 / (1 + x * x);
        return (1 + 2.0 * _alpha) * 2 / Math.PI * r * r;
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => x * V.Fma(V.Create(2f), Atlu.Gate(x), V.Create(-1f)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"xatlu has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x * (2 * Atlu.ReferenceGate(x) - 1),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"xatlu has 1 parameter(s)."),
    };

    // Limit at −∞: x·(−α + O(1/x)) → +∞ for α > 0; for α = 0 the gate's own limit.
    private float NegInfinityLimit => _alpha > 0 ? float.PositiveInfinity : _alpha < 0 ? float.NegativeInfinity : -0.318309886f;

    // Below −1e4 the gate is (1 − 1/(3x²))/(π|x|) to float precision: x·g = −1/π (and −1/x is subnormal near −MaxValue).
    private V FarLeft<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(-1e4f)) & V.GreaterThan(x, V.Create(float.NegativeInfinity)), V.Fma(V.Create(-_alpha), x, V.Create((1f + 2f * _alpha) * -0.318309886f)), y);
}
