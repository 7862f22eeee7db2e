using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ t_right ? t_right + a_right·(x − t_right) : x ≤ t_left ? t_left + a_left·(x − t_left) : x; f′ = x ≥
/// t_right ? a_right : x ≤ t_left ? a_left : 1. Jin et al., "Deep Learning with S-shaped Rectified Linear Activation
/// Units", 2016.
/// </summary>
internal readonly struct Srelu(float tLeft, float aLeft, float tRight, float aRight) : IParametricActivationKernel, IPiecewiseLinear<Srelu>
{
    private readonly float _tLeft = tLeft, _aLeft = aLeft, _tRight = tRight, _aRight = aRight;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "srelu", Aliases = ["s_shaped_relu"], Family = "relu",
        Formula = "x ≥ t_right ? t_right + a_right·(x − t_right) : x ≤ t_left ? t_left + a_left·(x − t_left) : x",
        Derivative = "x ≥ t_right ? a_right : x ≤ t_left ? a_left : 1",
        Parameters =
        [
            new("t_left", -1.0, "left knee", "Keras-contrib initialises t_left = 0"),
            new("a_left", 0.2, "slope left of the knee", "Keras-contrib initialises a_left randomly"),
            new("t_right", 1.0, "right knee", "Keras-contrib initialises t_right randomly"),
            new("a_right", 0.5, "slope right of the knee", "Keras-contrib initialises a_right = 1"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-1.0, 1.0],
        Paper = "Deep Learning with S-shaped Rectified Linear Activation Units", Year = 2016,
        Notes = "The paper learns all four per channel; these fixed defaults are illustrative (t_left < 0 < t_right gives f(0) = 0). At the knees f′ takes the outer slope. ∂f/∂t_left = 1 − a_left and ∂f/∂a_left = x − t_left for x ≤ t_left; likewise on the right.",
    }, p => new Srelu((float)p[0], (float)p[1], (float)p[2], (float)p[3]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V tr = V.Create(_tRight), tl = V.Create(_tLeft);
        V right = V.Fma(V.Create(_aRight), x - tr, tr), left = V.Fma(V.Create(_aLeft), x - tl, tl);
        return V.Select(V.GreaterThanOrEqual(x, tr), right, V.Select(V.LessThanOrEqual(x, tl), left, x));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThanOrEqual(x, V.Create(_tRight)), V.Create(_aRight), V.Select(V.LessThanOrEqual(x, V.Create(_tLeft)), V.Create(_aLeft), V.Create(1f)));
    /// <inheritdoc/>
    public double Reference(double x) => x >= _tRight ? _tRight + _aRight * (x - _tRight) : x <= _tLeft ? _tLeft + _aLeft * (x - _tLeft) : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x >= _tRight ? _aRight : x <= _tLeft ? _aLeft : 1;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V left = V.LessThanOrEqual(x, V.Create(_tLeft)), right = V.GreaterThanOrEqual(x, V.Create(_tRight));
        return index switch
        {
        0 => left & V.Create(1f - _aLeft),
        1 => left & (x - V.Create(_tLeft)),
        2 => right & V.Create(1f - _aRight),
        _ => right & (x - V.Create(_tRight)),
        };
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        bool left = x <= _tLeft, right = x >= _tRight;
        return index switch
        {
        0 => left ? 1 - (double)_aLeft : 0,
        1 => left ? x - _tLeft : 0,
        2 => right ? 1 - (double)_aRight : 0,
        _ => right ? x - _tRight : 0,
        };
    }
}
