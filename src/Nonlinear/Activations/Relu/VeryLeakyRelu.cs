using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? x : negative_slope·x; f′ = x &gt; 0 ? 1 : negative_slope.
/// </summary>
public readonly struct VeryLeakyRelu : IParametricActivationKernel
{
    private readonly float _negativeSlope;
    private readonly double _slopeRef;

    /// <summary>Slope for negative inputs.</summary>
    public VeryLeakyRelu(float negativeSlope, double exact)
    {
        _negativeSlope = negativeSlope;
        // The reference keeps 1/3 in double: the golden values and finite differences see the slope as declared.
        _slopeRef = exact;
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "very_leaky_relu", Aliases = ["very_leaky_rectify"], Family = "relu",
        Formula = "x ≥ 0 ? x : negative_slope·x",
        Derivative = "x > 0 ? 1 : negative_slope",
        Parameters =
        [
            new("negative_slope", 0.3333333333333333, "slope for x < 0", "Lasagne very_leaky_rectify leakiness 1/3"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Notes = "Lasagne's very_leaky_rectify (leakiness 1/3); no paper of its own (the leaky ReLU of Maas et al., 2013, with a much larger slope). f′(0) = negative_slope. ∂f/∂negative_slope = min(x, 0).",
    }, p => new VeryLeakyRelu((float)p[0], p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x * V.Create(_negativeSlope), x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(_negativeSlope));
    /// <inheritdoc/>
    public double Reference(double x) => x < 0 ? _slopeRef * x : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : _slopeRef;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x, V.Create(0f));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x < 0 ? x : 0;
}
