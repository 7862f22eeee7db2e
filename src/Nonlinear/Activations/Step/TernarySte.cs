using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &gt; delta ? 1 : x &lt; −delta ? −1 : 0; f′ = 0 (backward uses |x| ≤ 1 ? 1 : 0). Li, Zhang and Liu,
/// "Ternary Weight Networks", 2016.
/// </summary>
internal readonly struct TernarySte(float delta) : IParametricActivationKernel, ISurrogateBackwardKernel
{
    private readonly float _delta = delta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "ternary_ste", Aliases = ["ternarize"], Family = "step",
        Formula = "x > delta ? 1 : x < −delta ? −1 : 0",
        Derivative = "0 (backward uses |x| ≤ 1 ? 1 : 0)",
        Parameters =
        [
            new("delta", 0.5, "half-width of the zero level", "the paper sets delta ≈ 0.7·mean|w| from data", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [-0.5, 0.5],
        Paper = "Ternary Weight Networks", Year = 2016,
        Notes = "Three-level quantiser {−1, 0, 1} with the hard_tanh straight-through backward (dx = dy·[|x| ≤ 1]). BackwardIsExact = false; the exact f′ is 0 off ±delta. ∂f/∂delta = 0 almost everywhere (delta only moves the jumps).",
        BackwardIsExact = false,
    }, p => new TernarySte((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V d = V.Create(_delta);
        return V.Select(V.IsNaN(x), x, V.Select(V.GreaterThan(x, d), V.Create(1f), V.Select(V.LessThan(x, -d), V.Create(-1f), V.Create(0f))));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.LessThanOrEqual(V.Abs(x), V.Create(1f)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x > _delta ? 1 : x < -_delta ? -1 : 0;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
    /// <inheritdoc/>
    public double ReferenceBackward(double x) => Math.Abs(x) <= 1 ? 1 : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => 0;
}
