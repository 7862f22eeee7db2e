using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·(g(x)·(1 + 2α) − α) with the σ (logistic) gate g, whose range is expanded to [−α, 1 + α]; f′ = (1 + 2α)·(x·g)′ − α.
/// Huang, "Expanded Gating Ranges Improve Activation Functions", 2024.
/// </summary>
internal readonly struct Xsilu(float alpha) : IParametricActivationKernel, IReferenceSecondDerivative<Xsilu>
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "xsilu", Family = "gated",
        Formula = "x·(g(x)·(1 + 2·alpha) − alpha), g = σ (logistic)",
        Derivative = "(1 + 2·alpha)·(g(x) + x·g′(x)) − alpha",
        Parameters = [new("alpha", 0.0, "gate expansion (trainable per block in the paper); the gate range is [−alpha, 1 + alpha]", Min: -0.5)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Expanded Gating Ranges Improve Activation Functions", Year = 2024,
        Notes = "alpha = 0 gives SiLU. f(−∞) = +∞ for alpha > 0 and −∞ for alpha < 0.",
    }, p => new Xsilu((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V g = VMath.Sigmoid(x);
        V y = x * V.Fma(V.Create(1f + 2f * _alpha), g, V.Create(-_alpha));
        y = V.Select(V.Equals(x, V.Create(float.NegativeInfinity)), V.Create(NegInfinityLimit), y);
        return FarLeft(x, y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Fma(V.Create(1f + 2f * _alpha), new Silu(1f).Derivative(x, y), V.Create(-_alpha));
    /// <inheritdoc/>
    public double Reference(double x) =>
        double.IsNegativeInfinity(x) ? NegInfinityLimit : x * ((1 + 2.0 * _alpha) * DoubleMath.Sigmoid(x) - _alpha);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        (1 + 2.0 * _alpha) * new Silu(1f).ReferenceDerivative(x) - _alpha;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => (1 + 2.0 * _alpha) * SecondDerivativeMath.SiluSecond(x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => x * VMath.Tanh(V.Create(0.5f) * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"xsilu has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x * Math.Tanh(0.5 * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"xsilu has 1 parameter(s)."),
    };

    // Limit at −∞: x·(−α + O(1/x)) → +∞ for α > 0; for α = 0 the gate's own limit.
    private float NegInfinityLimit => _alpha > 0 ? float.PositiveInfinity : _alpha < 0 ? float.NegativeInfinity : -0f;

    private static V FarLeft<V>(V x, V y) where V : struct, ISimdVec<V> => y;
}
