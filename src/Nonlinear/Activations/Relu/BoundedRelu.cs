using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = min(max(0, x), n); f′ = 0 &lt; x &lt; n ? 1 : 0. Equivalent to torch.nn.Hardtanh(0, n). Liew, Khalil-Hani and
/// Bakhteri, "Bounded activation functions for enhanced training stability of deep neural networks on visual pattern
/// recognition problems", 2016.
/// </summary>
internal readonly struct BoundedRelu(float n) : IParametricActivationKernel, IPiecewiseLinear<BoundedRelu>
{
    private readonly float _n = n;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "bounded_relu", Aliases = ["brelu", "relu_n", "satlin"], Family = "relu",
        Formula = "min(max(0, x), n)",
        Derivative = "0 < x < n ? 1 : 0",
        Parameters =
        [
            new("n", 1.0, "upper bound", "MATLAB satlin has n = 1; relu6 is n = 6", Min: 1e-06),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0, 1.0],
        Paper = "Bounded activation functions for enhanced training stability of deep neural networks on visual pattern recognition problems", Year = 2016,
        Notes = "f′ = 0 at both kinks. ∂f/∂n = x > n ? 1 : 0.",
        PyTorch = "torch.nn.Hardtanh(0, n)",
    }, p => new BoundedRelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Min(V.Max(x, V.Create(0f)), V.Create(_n));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(0f)) & V.LessThan(x, V.Create(_n)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Min(Math.Max(x, 0), _n);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 && x < _n ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(_n)) & V.Create(1f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x > _n ? 1 : 0;
}
