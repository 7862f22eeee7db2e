using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(x, −delta); f′ = x &gt; −delta ? 1 : 0. Macêdo et al., "Enhancing batch normalized convolutional networks
/// using displaced rectifier linear units: A systematic comparative study", 2019.
/// </summary>
internal readonly struct DisplacedRelu(float delta) : IParametricActivationKernel, IPiecewiseLinear<DisplacedRelu>
{
    private readonly float _delta = delta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "displaced_relu", Aliases = ["drelu"], Family = "relu",
        Formula = "max(x, −delta)",
        Derivative = "x > −delta ? 1 : 0",
        Parameters =
        [
            new("delta", 0.05, "how far below 0 the rectifier is displaced", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-0.05],
        Paper = "Enhancing batch normalized convolutional networks using displaced rectifier linear units: A systematic comparative study", Year = 2019,
        Notes = "ReLU moved diagonally to (−delta, −delta) so that outputs can average to zero after batch normalisation. f′(−delta) = 0. ∂f/∂delta = x < −delta ? −1 : 0.",
    }, p => new DisplacedRelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Max(x, V.Create(-_delta));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(-_delta)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(x, -(double)_delta);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > -_delta ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.LessThan(x, V.Create(-_delta)) & V.Create(-1f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x < -_delta ? -1 : 0;
}
