using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? x : a·x; f′ = x &gt; 0 ? 1 : a. Equivalent to torch.nn.PReLU(num_parameters=1). He et al., "Delving
/// Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification", 2015.
/// </summary>
internal readonly struct Prelu(float a) : IParametricActivationKernel, IPiecewiseLinear<Prelu>
{
    private readonly float _a = a;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "prelu_fixed", Aliases = [], Family = "relu",
        Formula = "x ≥ 0 ? x : a·x",
        Derivative = "x > 0 ? 1 : a",
        Parameters =
        [
            new("a", 0.25, "slope for x < 0, learned", "PyTorch PReLU init 0.25; Keras PReLU alpha_initializer zeros"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification", Year = 2015,
        Notes = "Fixed slope a (a hyper-parameter, not trained); the learnable unit torch.nn.PReLU is \"prelu\". One shared slope (num_parameters = 1); per-channel slopes are a layer concern. f′(0) = a as PyTorch. ∂f/∂a = min(x, 0).",
        PyTorch = "torch.nn.PReLU(num_parameters=1)",
    }, p => new Prelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x * V.Create(_a), x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(_a));
    /// <inheritdoc/>
    public double Reference(double x) => x < 0 ? _a * x : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : _a;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x, V.Create(0f));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x < 0 ? x : 0;
}
