using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = |x| &gt; tau ? x − tau²/x : 0; f′ = |x| &gt; tau ? 1 + tau²/x² : 0. Breiman, "Better Subset Regression Using
/// the Nonnegative Garrote", 1995.
/// </summary>
internal readonly struct Garrote(float tau) : IParametricActivationKernel, IReferenceSecondDerivative<Garrote>
{
    private readonly float _tau = tau;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "garrote", Aliases = ["nonnegative_garrote", "garrote_threshold"], Family = "shrink",
        Formula = "|x| > tau ? x − tau²/x : 0",
        Derivative = "|x| > tau ? 1 + tau²/x² : 0",
        Parameters =
        [
            new("tau", 1.0, "threshold", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-1.0, 1.0],
        Paper = "Better Subset Regression Using the Nonnegative Garrote", Year = 1995,
        Notes = "Between soft (x − tau) and hard (x) thresholding: continuous, and x − tau²/x → x for large |x|. Evaluated as (x − tau)·((x + tau)/x), which does not cancel near ±tau. f′(±tau) = 0 (it jumps to 2 just outside). ∂f/∂tau = |x| > tau ? −2·tau/x : 0.",
    }, p => new Garrote((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V t = V.Create(_tau);
        V r = (x - t) * ((x + t) / x);
        r = V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), x, r);
        return V.Select(V.IsNaN(x), x, V.Select(V.GreaterThan(V.Abs(x), t), r, V.Create(0f)));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V r = V.Create(_tau) / x;
        return V.GreaterThan(V.Abs(x), V.Create(_tau)) & V.Fma(r, r, V.Create(1f));
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x)) return x;
        return Math.Abs(x) > _tau ? (x - _tau) * ((x + _tau) / x) : 0;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double r = _tau / x;
        return Math.Abs(x) > _tau ? 1 + r * r : 0;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsNaN(x)) return x;
        double r = _tau / x;
        return Math.Abs(x) > _tau ? -2 * r * r / x : 0;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.GreaterThan(V.Abs(x), V.Create(_tau)) & (V.Create(-2f * _tau) / x);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => Math.Abs(x) > _tau ? -2.0 * _tau / x : 0;
}
