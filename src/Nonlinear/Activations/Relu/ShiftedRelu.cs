using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, x − tau); f′ = x &gt; tau ? 1 : 0. "Deep Neural Network Initialization with Sparsity Inducing
/// Activations", 2024.
/// </summary>
internal readonly struct ShiftedRelu(float tau) : IParametricActivationKernel, IPiecewiseLinear<ShiftedRelu>
{
    private readonly float _tau = tau;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "shifted_relu", Aliases = ["srelu_shift"], Family = "relu",
        Formula = "max(0, x − tau)",
        Derivative = "x > tau ? 1 : 0",
        Parameters =
        [
            new("tau", 1.0, "shift of the hinge; outputs are sparse for tau > 0"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [1.0],
        Paper = "Deep Neural Network Initialization with Sparsity Inducing Activations", Year = 2024,
        Notes = "f′(tau) = 0. The paper studies tau ≥ 0 and shows an instability at initialisation that clipping the magnitude (shifted_relu_clipped) removes. ∂f/∂tau = x > tau ? −1 : 0.",
    }, p => new ShiftedRelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Max(x - V.Create(_tau), V.Create(0f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(_tau)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(x - _tau, 0);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > _tau ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(_tau)) & V.Create(-1f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x > _tau ? -1 : 0;
}
