using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? x : ((lower + upper)/2)·x; f′ = x &gt; 0 ? 1 : (lower + upper)/2. Equivalent to torch.nn.RReLU (eval
/// mode). Xu et al., "Empirical Evaluation of Rectified Activations in Convolutional Network", 2015.
/// </summary>
internal readonly struct Rrelu : IParametricActivationKernel, IPiecewiseLinear<Rrelu>
{
    private readonly float _lower, _upper;
    private readonly double _slopeRef;
    private readonly float _slope;

    /// <summary>Slope (lower + upper)/2 for negative inputs.</summary>
    public Rrelu(float lower, float upper)
    {
        (_lower, _upper) = (lower, upper);
        // The mean in double (as PyTorch computes it from Python floats), rounded once for the float path.
        _slopeRef = ((double)lower + upper) / 2;
        _slope = (float)_slopeRef;
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "rrelu", Aliases = ["randomized_leaky_relu"], Family = "relu",
        Formula = "x ≥ 0 ? x : ((lower + upper)/2)·x",
        Derivative = "x > 0 ? 1 : (lower + upper)/2",
        Parameters =
        [
            new("lower", 0.125, "lower bound of the random slope (training)", "PyTorch 1/8, the paper samples 1/a with a ~ U(3, 8)", Min: 0.0),
            new("upper", 0.3333333333333333, "upper bound of the random slope (training)", "PyTorch 1/3", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Empirical Evaluation of Rectified Activations in Convolutional Network", Year = 2015,
        Notes = "Evaluation mode only: the slope is the mean (lower + upper)/2, as torch.nn.RReLU in eval(); training-mode sampling is not an elementwise function. f′(0) = slope, as PyTorch. ∂f/∂lower = ∂f/∂upper = min(x, 0)/2.",
        PyTorch = "torch.nn.RReLU (eval mode)",
    }, p => new Rrelu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x * V.Create(_slope), x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(_slope));
    /// <inheritdoc/>
    public double Reference(double x) => x < 0 ? _slopeRef * x : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : _slopeRef;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x * V.Create(0.5f), V.Create(0f));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x < 0 ? 0.5 * x : 0;
}
