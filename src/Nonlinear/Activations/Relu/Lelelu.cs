using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? alpha·x : 0.01·alpha·x; f′ = x &gt; 0 ? alpha : 0.01·alpha. Maniatopoulos and Mitianoudis, "Learnable
/// Leaky ReLU (LeLeLU): An Alternative Accuracy-Optimized Activation Function", 2021.
/// </summary>
internal readonly struct Lelelu : IParametricActivationKernel, IPiecewiseLinear<Lelelu>
{
    private readonly float _alpha;
    private readonly float _neg;

    /// <summary>Scale alpha (negative slope 0.01·alpha).</summary>
    public Lelelu(float alpha)
    {
        _alpha = alpha;
        _neg = (float)(0.01 * alpha);
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "lelelu", Aliases = ["learnable_leaky_relu"], Family = "relu",
        Formula = "x ≥ 0 ? alpha·x : 0.01·alpha·x",
        Derivative = "x > 0 ? alpha : 0.01·alpha",
        Parameters =
        [
            new("alpha", 1.0, "overall learnable scale", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Learnable Leaky ReLU (LeLeLU): An Alternative Accuracy-Optimized Activation Function", Year = 2021,
        Notes = "At alpha = 1 equals leaky_relu(0.01). f′(0) = 0.01·alpha. ∂f/∂alpha = x ≥ 0 ? x : 0.01·x.",
    }, p => new Lelelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x * V.Create(_neg), x * V.Create(_alpha));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(_alpha), V.Create(_neg));
    /// <inheritdoc/>
    public double Reference(double x) => x < 0 ? 0.01 * _alpha * x : _alpha * x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? _alpha : 0.01 * _alpha;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), x * V.Create(0.01f), x);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x < 0 ? 0.01 * x : x;
}
