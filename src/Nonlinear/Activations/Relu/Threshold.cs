using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &gt; threshold ? x : value; f′ = x &gt; threshold ? 1 : 0. Equivalent to torch.nn.Threshold.
/// </summary>
internal readonly struct Threshold(float threshold, float value) : IParametricActivationKernel, IPiecewiseLinear<Threshold>
{
    private readonly float _threshold = threshold, _value = value;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "threshold", Family = "relu",
        Formula = "x > threshold ? x : value",
        Derivative = "x > threshold ? 1 : 0",
        Parameters =
        [
            new("threshold", 0.1, "inputs at or below it are replaced", "PyTorch and Keras (threshold) have no defaults"),
            new("value", 20.0, "the replacement", "Keras calls it default_value"),
        ],
        Properties = ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.1],
        Notes = "PyTorch has no defaults; ours are its documentation example Threshold(0.1, 20). Discontinuous at the threshold (f′ there = 0, as PyTorch). ∂f/∂value = x ≤ threshold ? 1 : 0; ∂f/∂threshold = 0 almost everywhere (it only moves the jump).",
        PyTorch = "torch.nn.Threshold",
    }, p => new Threshold((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.IsNaN(x), x, V.Select(V.GreaterThan(x, V.Create(_threshold)), x, V.Create(_value)));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(_threshold)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x > _threshold ? x : _value;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > _threshold ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        index == 0 ? V.Create(0f) : V.LessThanOrEqual(x, V.Create(_threshold)) & V.Create(1f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index == 0 ? 0 : x <= _threshold ? 1 : 0;
}
