using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &gt; 0 ? x : |alpha·x|; f′ = x &gt; 0 ? 1 : −alpha. Mastromichalakis, "ALReLU: A different approach on
/// Leaky ReLU activation function to improve Neural Networks Performance", 2020.
/// </summary>
internal readonly struct Alrelu(float alpha) : IParametricActivationKernel, IPiecewiseLinear<Alrelu>
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "alrelu", Aliases = ["absolute_leaky_relu"], Family = "relu",
        Formula = "x > 0 ? x : |alpha·x|",
        Derivative = "x > 0 ? 1 : −alpha",
        Parameters =
        [
            new("alpha", 0.01, "magnitude of the (reflected) negative slope", Min: 0.0),
        ],
        Properties = ActivationProperties.BoundedBelow | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "ALReLU: A different approach on Leaky ReLU activation function to improve Neural Networks Performance", Year = 2020,
        Notes = "Negative inputs give small positive outputs (a V with a leaky arm): not monotonic. f′(0) = −alpha. ∂f/∂alpha = x > 0 ? 0 : |x|.",
    }, p => new Alrelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), x, V.Abs(x * V.Create(_alpha)));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(-_alpha));
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : Math.Abs(_alpha * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : -(double)_alpha;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(0f), V.Abs(x));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x > 0 ? 0 : Math.Abs(x);
}
