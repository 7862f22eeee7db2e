using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x for |x| &gt; λ, else 0; f′ = 1 for |x| &gt; λ, else 0. Equivalent to torch.nn.Hardshrink(lambd=0.5).
/// Donoho and Johnstone, "Ideal spatial adaptation by wavelet shrinkage", 1994.
/// </summary>
internal readonly struct Hardshrink(float lambd) : IParametricActivationKernel, IPiecewiseLinear<Hardshrink>
{
    private readonly float _lambda = lambd;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "hardshrink", Aliases = ["hard_shrink"], Family = "shrink",
        Formula = "|x| > lambd ? x : 0", Derivative = "|x| > lambd ? 1 : 0",
        Parameters = [new("lambd", 0.5, "half-width of the dead zone", "Keras hard_shrink threshold 0.5", Min: 0)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-0.5, 0.5],
        Paper = "Ideal spatial adaptation by wavelet shrinkage", Year = 1994,
        Notes = "Discontinuous at ±lambd (a jump of lambd, still non-decreasing); f′(±lambd) = 0 as PyTorch. "
              + "The parameter is spelled lambd as in PyTorch. ∂f/∂lambd = 0 almost everywhere: lambd only moves the jumps at ±lambd (where the derivative is a Dirac mass, not representable).",
        PyTorch = "torch.nn.Hardshrink",
    }, p => new Hardshrink((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThanOrEqual(V.Abs(x), V.Create(_lambda)), V.Create(0f), x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.GreaterThan(V.Abs(x), V.Create(_lambda)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Abs(x) <= _lambda ? 0 : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) > _lambda ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => 0;
}
