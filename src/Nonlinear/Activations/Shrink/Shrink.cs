using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &lt; −lambd ? x + bias : x &gt; lambd ? x − bias : 0; f′ = |x| &gt; lambd ? 1 : 0.
/// </summary>
internal readonly struct Shrink(float bias, float lambd) : IParametricActivationKernel, IPiecewiseLinear<Shrink>
{
    private readonly float _bias = bias, _lambd = lambd;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "shrink", Aliases = ["onnx_shrink"], Family = "shrink",
        Formula = "x < −lambd ? x + bias : x > lambd ? x − bias : 0",
        Derivative = "|x| > lambd ? 1 : 0",
        Parameters =
        [
            new("bias", 0.0, "offset applied outside the dead zone (bias = lambd gives softshrink)", "ONNX Shrink bias 0"),
            new("lambd", 0.5, "half-width of the dead zone", "ONNX Shrink lambd 0.5", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-0.5, 0.5],
        Notes = "The ONNX Shrink operator: hardshrink at bias = 0 (the default), softshrink at bias = lambd. f′(±lambd) = 0. ∂f/∂bias = x < −lambd ? 1 : x > lambd ? −1 : 0; ∂f/∂lambd = 0 almost everywhere (it only moves the jumps).",
    }, p => new Shrink((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V l = V.Create(_lambd), b = V.Create(_bias);
        return V.Select(V.IsNaN(x), x, V.Select(V.LessThan(x, -l), x + b, V.Select(V.GreaterThan(x, l), x - b, V.Create(0f))));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(V.Abs(x), V.Create(_lambd)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x < -_lambd ? x + _bias : x > _lambd ? x - _bias : 0;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) > _lambd ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        if (index == 1) return V.Create(0f);
        return (V.LessThan(x, V.Create(-_lambd)) & V.Create(1f)) | (V.GreaterThan(x, V.Create(_lambd)) & V.Create(-1f));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        if (index == 1) return 0;
        return x < -_lambd ? 1 : x > _lambd ? -1 : 0;
    }
}
