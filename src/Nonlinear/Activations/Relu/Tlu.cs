using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(x, tau); f′ = x &gt; tau ? 1 : 0. Singh and Krishnan, "Filter Response Normalization Layer: Eliminating
/// Batch Dependence in the Training of Deep Neural Networks", 2020.
/// </summary>
internal readonly struct Tlu(float tau) : IParametricActivationKernel, IPiecewiseLinear<Tlu>
{
    private readonly float _tau = tau;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "tlu", Aliases = ["thresholded_linear_unit"], Family = "relu",
        Formula = "max(x, tau)",
        Derivative = "x > tau ? 1 : 0",
        Parameters =
        [
            new("tau", 0.0, "learned floor", "the paper initialises tau = 0 and learns it per channel"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Filter Response Normalization Layer: Eliminating Batch Dependence in the Training of Deep Neural Networks", Year = 2020,
        Notes = "Equals relu at tau = 0. f′(tau) = 0. ∂f/∂tau = x < tau ? 1 : 0.",
    }, p => new Tlu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Max(x, V.Create(_tau));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(_tau)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(x, (double)_tau);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > _tau ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.LessThan(x, V.Create(_tau)) & V.Create(1f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x < _tau ? 1 : 0;
}
