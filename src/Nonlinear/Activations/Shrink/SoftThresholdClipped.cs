using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sign(x)·min(max(|x| − tau, 0), m); f′ = 0 &lt; |x| − tau &lt; m ? 1 : 0. "Deep Neural Network Initialization
/// with Sparsity Inducing Activations", 2024.
/// </summary>
internal readonly struct SoftThresholdClipped(float tau, float m) : IParametricActivationKernel, IPiecewiseLinear<SoftThresholdClipped>
{
    private readonly float _tau = tau, _m = m;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "soft_threshold_clipped", Aliases = ["clipped_soft_threshold"], Family = "shrink",
        Formula = "sign(x)·min(max(|x| − tau, 0), m)",
        Derivative = "0 < |x| − tau < m ? 1 : 0",
        Parameters =
        [
            new("tau", 1.0, "half-width of the dead zone", Min: 0.0),
            new("m", 1.0, "magnitude clip", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-2.0, -1.0, 1.0, 2.0],
        Paper = "Deep Neural Network Initialization with Sparsity Inducing Activations", Year = 2024,
        Notes = "Magnitude clipping removes the initialisation instability the paper proves for soft thresholding; m is prescribed by the variance map there, these defaults are illustrative. f′ = 0 at all four kinks. ∂f/∂tau = −sign(x) and ∂f/∂m = 0 between the kinks; ∂f/∂m = sign(x) beyond tau + m.",
    }, p => new SoftThresholdClipped((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Min(V.Max(V.Abs(x) - V.Create(_tau), V.Create(0f)), V.Create(_m)) | (x & V.Create(-0f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x) - V.Create(_tau);
        return V.GreaterThan(a, V.Create(0f)) & V.LessThan(a, V.Create(_m)) & V.Create(1f);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.CopySign(Math.Min(Math.Max(Math.Abs(x) - _tau, 0), _m), x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double a = Math.Abs(x) - _tau;
        return a > 0 && a < _m ? 1 : 0;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V a = V.Abs(x) - V.Create(_tau);
        V s = x & V.Create(-0f);
        return index == 0 ? V.GreaterThan(a, V.Create(0f)) & V.LessThan(a, V.Create(_m)) & (V.Create(-1f) ^ s) : V.GreaterThan(a, V.Create(_m)) & (V.Create(1f) | s);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double a = Math.Abs(x) - _tau;
        return index == 0 ? (a > 0 && a < _m ? -Math.Sign(x) : 0) : (a > _m ? Math.Sign(x) : 0);
    }
}
