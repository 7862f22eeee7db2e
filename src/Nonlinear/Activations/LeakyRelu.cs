using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x for x ≥ 0, negative_slope·x otherwise; f′ = 1 for x &gt; 0, else negative_slope (including at 0, as PyTorch).
/// Equivalent to torch.nn.LeakyReLU(negative_slope=0.01). Maas et al., "Rectifier Nonlinearities Improve Neural Network Acoustic Models", 2013.
/// </summary>
internal readonly struct LeakyRelu(float negativeSlope) : IParametricActivationKernel, ISecondDerivative<LeakyRelu>
{
    private readonly float _slope = negativeSlope;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "leaky_relu", Aliases = ["lrelu", "leakyrelu"], Family = "relu",
        Formula = "x ≥ 0 ? x : negative_slope·x", Derivative = "x > 0 ? 1 : negative_slope",
        Parameters = [new("negative_slope", 0.01, "slope for x < 0", "Keras LeakyReLU 0.3 (TF ≥ 2.16: 0.2); JAX 0.01")],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred | ActivationProperties.PositivelyHomogeneous,
        Kinks = [0],
        Paper = "Rectifier Nonlinearities Improve Neural Network Acoustic Models", Year = 2013,
        Notes = "f′(0) = negative_slope, as PyTorch's backward (x > 0 ? 1 : slope). Monotonic only for negative_slope ≥ 0. ∂f/∂negative_slope = min(x, 0).",
        PyTorch = "torch.nn.LeakyReLU",
    }, p => new LeakyRelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x * V.Create(_slope), x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(_slope));
    /// <inheritdoc/>
    public double Reference(double x) => x < 0 ? _slope * x : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : _slope;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x, V.Create(0f));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x < 0 ? x : 0;

    /// <summary>f″ = 0 on every piece (piecewise linear; the kinks contribute nothing, as in PyTorch's double backward).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => 0;
}
