using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &gt; theta ? x : 0; f′ = x &gt; theta ? 1 : 0. Konda, Memisevic and Krueger, "Zero-bias autoencoders and
/// the benefits of co-adapting features", 2014.
/// </summary>
internal readonly struct ThresholdedRelu(float theta) : IParametricActivationKernel, IPiecewiseLinear<ThresholdedRelu>
{
    private readonly float _theta = theta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "thresholded_relu", Aliases = ["trec", "trelu"], Family = "relu",
        Formula = "x > theta ? x : 0",
        Derivative = "x > theta ? 1 : 0",
        Parameters =
        [
            new("theta", 1.0, "activation threshold", "Keras ThresholdedReLU theta 1.0; ONNX ThresholdedRelu alpha 1.0", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [1.0],
        Paper = "Zero-bias autoencoders and the benefits of co-adapting features", Year = 2014,
        Notes = "Jumps from 0 to theta at x = theta (f′ there = 0). Keras ThresholdedReLU, ONNX ThresholdedRelu, Flux trelu. ∂f/∂theta = 0 almost everywhere (theta only moves the jump).",
    }, p => new ThresholdedRelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.IsNaN(x), x, V.Select(V.GreaterThan(x, V.Create(_theta)), x, V.Create(0f)));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(_theta)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x > _theta ? x : 0;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > _theta ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => 0;
}
