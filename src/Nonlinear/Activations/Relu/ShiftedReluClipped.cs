using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = min(max(0, x − tau), m); f′ = 0 &lt; x − tau &lt; m ? 1 : 0. "Deep Neural Network Initialization with
/// Sparsity Inducing Activations", 2024.
/// </summary>
internal readonly struct ShiftedReluClipped(float tau, float m) : IParametricActivationKernel, IPiecewiseLinear<ShiftedReluClipped>
{
    private readonly float _tau = tau, _m = m;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "shifted_relu_clipped", Aliases = ["clipped_shifted_relu"], Family = "relu",
        Formula = "min(max(0, x − tau), m)",
        Derivative = "0 < x − tau < m ? 1 : 0",
        Parameters =
        [
            new("tau", 1.0, "shift of the hinge"),
            new("m", 1.0, "magnitude clip", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [1.0, 2.0],
        Paper = "Deep Neural Network Initialization with Sparsity Inducing Activations", Year = 2024,
        Notes = "The paper prescribes m from the Gaussian-process variance map; these defaults are illustrative. f′ = 0 at both kinks. ∂f/∂tau = −1 and ∂f/∂m = 0 between the kinks; ∂f/∂m = 1 above.",
    }, p => new ShiftedReluClipped((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Min(V.Max(x - V.Create(_tau), V.Create(0f)), V.Create(_m));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V d = x - V.Create(_tau);
        return V.GreaterThan(d, V.Create(0f)) & V.LessThan(d, V.Create(_m)) & V.Create(1f);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Min(Math.Max(x - _tau, 0), _m);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x - _tau > 0 && x - _tau < _m ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V d = x - V.Create(_tau);
        return index == 0 ? V.GreaterThan(d, V.Create(0f)) & V.LessThan(d, V.Create(_m)) & V.Create(-1f) : V.GreaterThan(d, V.Create(_m)) & V.Create(1f);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double d = x - _tau;
        return index == 0 ? (d > 0 && d < _m ? -1 : 0) : (d > _m ? 1 : 0);
    }
}
