using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &gt; 0 ? 1 : x &lt; 0 ? 0 : value; f′ = 0 (a Dirac mass at 0, not representable). Equivalent to
/// torch.heaviside(x, values=0.5).
/// </summary>
internal readonly struct Heaviside(float value) : IParametricActivationKernel, IPiecewiseLinear<Heaviside>
{
    private readonly float _value = value;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "heaviside", Family = "step",
        Formula = "x > 0 ? 1 : x < 0 ? 0 : value",
        Derivative = "0 (a Dirac mass at 0, not representable)",
        Parameters =
        [
            new("value", 0.5, "f(0) (torch.heaviside's values argument)", "torch.heaviside and numpy.heaviside take it as a required argument"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Notes = "Half-maximum convention H(0) = 1/2 by default (also at −0). The derivative is 0 where it exists. ∂f/∂value = x == 0 ? 1 : 0.",
        PyTorch = "torch.heaviside(x, values=0.5)",
    }, p => new Heaviside((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.IsNaN(x), x, V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Select(V.LessThan(x, V.Create(0f)), V.Create(0f), V.Create(_value))));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(0f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x > 0 ? 1 : x < 0 ? 0 : _value;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Equals(x, V.Create(0f)) & V.Create(1f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x == 0 ? 1 : 0;
}
