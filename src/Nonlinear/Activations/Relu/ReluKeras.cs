using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ max_value ? max_value : x ≥ threshold ? x : negative_slope·(x − threshold); f′ = x ≥ max_value ? 0 : x
/// &gt; threshold ? 1 : negative_slope.
/// </summary>
internal readonly struct ReluKeras(float negativeSlope, float maxValue, float threshold) : IParametricActivationKernel, IPiecewiseLinear<ReluKeras>
{
    private readonly float _negativeSlope = negativeSlope, _maxValue = maxValue, _threshold = threshold;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "relu_keras", Aliases = ["keras_relu"], Family = "relu",
        Formula = "x ≥ max_value ? max_value : x ≥ threshold ? x : negative_slope·(x − threshold)",
        Derivative = "x ≥ max_value ? 0 : x > threshold ? 1 : negative_slope",
        Parameters =
        [
            new("negative_slope", 0.0, "slope below the threshold"),
            new("max_value", double.PositiveInfinity, "saturation value (Keras None = ∞)"),
            new("threshold", 0.0, "where the identity segment starts"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Notes = "keras.activations.relu(x, negative_slope, max_value, threshold) with Keras's defaults (plain relu). With a nonzero threshold f jumps by threshold at x = threshold. f′(threshold) = negative_slope (TensorFlow's relu gradient is 0 at 0). ∂f/∂negative_slope = x < threshold ? x − threshold : 0; ∂f/∂max_value = x ≥ max_value ? 1 : 0; ∂f/∂threshold = x < threshold ? −negative_slope : 0.",
    }, p => new ReluKeras((float)p[0], (float)p[1], (float)p[2]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V mv = V.Create(_maxValue), th = V.Create(_threshold);
        // slope 0 gives +0 below the threshold (not 0·(−∞) = NaN, nor −0 from 0·negative).
        V below = V.Select(V.Equals(V.Create(_negativeSlope), V.Create(0f)), V.Create(0f), V.Create(_negativeSlope) * (x - th));
        V r = V.Select(V.GreaterThanOrEqual(x, th), x, below);
        return V.Select(V.IsNaN(x), x, V.Select(V.GreaterThanOrEqual(x, mv), mv, r));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThanOrEqual(x, V.Create(_maxValue)), V.Create(0f), V.Select(V.GreaterThan(x, V.Create(_threshold)), V.Create(1f), V.Create(_negativeSlope)));
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x >= _maxValue ? _maxValue : x >= _threshold ? x : _negativeSlope == 0 ? 0 : _negativeSlope * (x - _threshold);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x >= _maxValue ? 0 : x > _threshold ? 1 : _negativeSlope;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V below = V.LessThan(x, V.Create(_threshold)) & V.LessThan(x, V.Create(_maxValue));
        return index switch
        {
        0 => below & (x - V.Create(_threshold)),
        1 => V.GreaterThanOrEqual(x, V.Create(_maxValue)) & V.Create(1f),
        _ => below & V.Create(-_negativeSlope),
        };
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        bool below = x < _threshold && x < _maxValue;
        return index switch
        {
        0 => below ? x - _threshold : 0,
        1 => x >= _maxValue ? 1 : 0,
        _ => below ? -(double)_negativeSlope : 0,
        };
    }
}
