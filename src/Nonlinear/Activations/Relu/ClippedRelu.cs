using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = min(max(0, x), ceiling); f′ = 0 &lt; x &lt; ceiling ? 1 : 0. Equivalent to torch.nn.Hardtanh(0, 20). Hannun
/// et al., "Deep Speech: Scaling up end-to-end speech recognition", 2014.
/// </summary>
public readonly struct ClippedRelu(float ceiling) : IParametricActivationKernel
{
    private readonly float _ceiling = ceiling;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "clipped_relu", Aliases = ["clipped_rectifier"], Family = "relu",
        Formula = "min(max(0, x), ceiling)",
        Derivative = "0 < x < ceiling ? 1 : 0",
        Parameters =
        [
            new("ceiling", 20.0, "clip value", "Chainer clipped_relu z = 20; MATLAB clippedReluLayer needs one", Min: 1e-06),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0, 20.0],
        Paper = "Deep Speech: Scaling up end-to-end speech recognition", Year = 2014,
        Notes = "bounded_relu with Deep Speech's ceiling 20 as default. f′ = 0 at both kinks. ∂f/∂ceiling = x > ceiling ? 1 : 0.",
        PyTorch = "torch.nn.Hardtanh(0, 20)",
    }, p => new ClippedRelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Min(V.Max(x, V.Create(0f)), V.Create(_ceiling));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(0f)) & V.LessThan(x, V.Create(_ceiling)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Min(Math.Max(x, 0), _ceiling);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 && x < _ceiling ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(_ceiling)) & V.Create(1f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x > _ceiling ? 1 : 0;
}
