using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(alpha·(x + c) − c, min(alpha·(x − c) + c, x)); f′ = |x| &gt; c ? alpha : 1. Nicolae, "PLU: The Piecewise
/// Linear Unit Activation Function", 2018.
/// </summary>
internal readonly struct Plu(float alpha, float c) : IParametricActivationKernel, IPiecewiseLinear<Plu>
{
    private readonly float _alpha = alpha, _c = c;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "plu", Aliases = ["piecewise_linear_unit"], Family = "relu",
        Formula = "max(alpha·(x + c) − c, min(alpha·(x − c) + c, x))",
        Derivative = "|x| > c ? alpha : 1",
        Parameters =
        [
            new("alpha", 0.1, "slope outside [−c, c]", Min: 0.0),
            new("c", 1.0, "half-width of the identity segment", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-1.0, 1.0],
        Paper = "PLU: The Piecewise Linear Unit Activation Function", Year = 2018,
        Notes = "f′(±c) = alpha. ∂f/∂alpha = x − c above c, x + c below −c; ∂f/∂c = (1 − alpha)·sign(x) outside [−c, c]; both 0 inside.",
    }, p => new Plu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Create(_alpha), c = V.Create(_c);
        return V.Max(V.Fma(a, x + c, -c), V.Min(V.Fma(a, x - c, c), x));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(V.Abs(x), V.Create(_c)), V.Create(_alpha), V.Create(1f));
    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(_alpha * (x + _c) - _c, Math.Min(_alpha * (x - _c) + _c, x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) > _c ? _alpha : 1;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V c = V.Create(_c);
        V above = V.GreaterThan(x, c), below = V.LessThan(x, -c);
        if (index == 0) return (above & (x - c)) | (below & (x + c));
        return (above & V.Create(1f - _alpha)) | (below & V.Create(_alpha - 1f));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        if (index == 0) return x > _c ? x - _c : x < -_c ? x + _c : 0;
        return x > _c ? 1 - (double)_alpha : x < -_c ? (double)_alpha - 1 : 0;
    }
}
