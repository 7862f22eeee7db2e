using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x − λ for x &gt; λ, x + λ for x &lt; −λ, else 0; f′ = 1 for |x| &gt; λ, else 0. Equivalent to torch.nn.Softshrink(lambd=0.5).
/// Donoho, "De-noising by soft-thresholding", 1995.
/// </summary>
internal readonly struct Softshrink(float lambd) : IParametricActivationKernel, IPiecewiseLinear<Softshrink>
{
    private readonly float _lambda = lambd;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "softshrink", Aliases = ["soft_shrink"], Family = "shrink",
        Formula = "x > lambd ? x − lambd : x < −lambd ? x + lambd : 0", Derivative = "|x| > lambd ? 1 : 0",
        Parameters = [new("lambd", 0.5, "half-width of the dead zone", "JAX has no softshrink; Keras soft_shrink threshold 0.5", Min: 0)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-0.5, 0.5],
        Paper = "De-noising by soft-thresholding", Year = 1995,
        Notes = "f′(±lambd) = 0, as PyTorch (its backward zeroes −lambd ≤ x ≤ lambd). The parameter is spelled lambd as in PyTorch. ∂f/∂lambd = x > lambd ? −1 : x < −lambd ? 1 : 0.",
        PyTorch = "torch.nn.Softshrink",
    }, p => new Softshrink((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V l = V.Create(_lambda);
        V y = V.Select(V.GreaterThan(x, l), x - l, V.Create(0f));
        y = V.Select(V.LessThan(x, -l), x + l, y);
        return V.Select(V.IsNaN(x), x, y);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.GreaterThan(V.Abs(x), V.Create(_lambda)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x > _lambda ? x - _lambda : x < -_lambda ? x + _lambda : 0;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) > _lambda ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(_lambda)), V.Create(-1f), V.LessThan(x, V.Create(-_lambda)) & V.Create(1f));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x > _lambda ? -1 : x < -_lambda ? 1 : 0;
}
