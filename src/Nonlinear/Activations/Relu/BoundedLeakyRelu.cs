using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≤ 0 ? negative_slope·x : x ≥ n ? n + negative_slope·(x − n) : x; f′ = 0 &lt; x &lt; n ? 1 : negative_slope.
/// Liew, Khalil-Hani and Bakhteri, "Bounded activation functions for enhanced training stability of deep neural
/// networks on visual pattern recognition problems", 2016.
/// </summary>
internal readonly struct BoundedLeakyRelu(float n, float negativeSlope) : IParametricActivationKernel, IPiecewiseLinear<BoundedLeakyRelu>
{
    private readonly float _n = n, _negativeSlope = negativeSlope;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "bounded_leaky_relu", Aliases = ["blrelu"], Family = "relu",
        Formula = "x ≤ 0 ? negative_slope·x : x ≥ n ? n + negative_slope·(x − n) : x",
        Derivative = "0 < x < n ? 1 : negative_slope",
        Parameters =
        [
            new("n", 1.0, "where the slope drops back", Min: 1e-06),
            new("negative_slope", 0.1, "slope outside [0, n]", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0.0, 1.0],
        Paper = "Bounded activation functions for enhanced training stability of deep neural networks on visual pattern recognition problems", Year = 2016,
        Notes = "Leaky on both sides of the identity segment [0, n]; the defaults are illustrative. f′ = negative_slope at both kinks. ∂f/∂n = x ≥ n ? 1 − negative_slope : 0; ∂f/∂negative_slope = x ≤ 0 ? x : x ≥ n ? x − n : 0.",
    }, p => new BoundedLeakyRelu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V n = V.Create(_n), s = V.Create(_negativeSlope);
        return V.Select(V.LessThanOrEqual(x, V.Create(0f)), x * s, V.Select(V.GreaterThanOrEqual(x, n), V.Fma(s, x - n, n), x));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)) & V.LessThan(x, V.Create(_n)), V.Create(1f), V.Create(_negativeSlope));
    /// <inheritdoc/>
    public double Reference(double x) => x <= 0 ? _negativeSlope * x : x >= _n ? _n + _negativeSlope * (x - _n) : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 && x < _n ? 1 : _negativeSlope;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V n = V.Create(_n);
        V low = V.LessThanOrEqual(x, V.Create(0f)), high = V.GreaterThanOrEqual(x, n);
        if (index == 0) return high & V.Create(1f - _negativeSlope);
        return (low & x) | (high & (x - n));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        if (index == 0) return x >= _n ? 1 - (double)_negativeSlope : 0;
        return x <= 0 ? x : x >= _n ? x - _n : 0;
    }
}
