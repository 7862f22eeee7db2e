using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x for x &gt; 0, α·(eˣ − 1) otherwise; f′ = 1 for x &gt; 0, α·eˣ otherwise (α at 0, as PyTorch).
/// Equivalent to torch.nn.ELU(alpha=1.0). Clevert, Unterthiner and Hochreiter, "Fast and Accurate Deep Network
/// Learning by Exponential Linear Units (ELUs)", 2015.
/// </summary>
internal readonly struct Elu(float alpha) : IParametricActivationKernel, ISecondDerivative<Elu>
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "elu", Family = "exponential",
        Formula = "x > 0 ? x : alpha·(exp(x) − 1)", Derivative = "x > 0 ? 1 : alpha·exp(x)",
        Parameters = [new("alpha", 1.0, "value approached as x → −∞ is −alpha", "Keras 1.0, JAX 1.0", Min: 0)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)", Year = 2015,
        Notes = "f′(0) = alpha (PyTorch's x ≤ 0 branch); C¹ only for alpha = 1. The negative branch uses expm1(min(x, 0)), so the "
              + "positive side never evaluates exp (no overflow, no NaN gradient at +400) and small |x| keep relative accuracy. "
              + "Backward reads x (alpha·exp(x)) rather than y + alpha, which cancels for x ≪ 0. ∂f/∂alpha = x > 0 ? 0 : exp(x) − 1.",
        PyTorch = "torch.nn.ELU",
    }, p => new Elu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V neg = V.Create(_alpha) * VMath.Expm1Inline(V.Clamp(x, V.Create(float.NegativeInfinity), V.Create(0f)));
        return V.Blend(V.GreaterThan(x, V.Create(0f)), x, neg);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Blend(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Create(_alpha) * VMath.Exp(V.Clamp(x, V.Create(float.NegativeInfinity), V.Create(0f))));
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : _alpha * DoubleMath.Expm1(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => double.IsNaN(x) ? x : x > 0 ? 1 : _alpha * Math.Exp(x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> =>
        V.Blend(V.GreaterThan(x, V.Create(0f)), V.Create(0f), VMath.Expm1Inline(V.Clamp(x, V.Create(float.NegativeInfinity), V.Create(0f))));
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x > 0 ? 0 : DoubleMath.Expm1(x);

    /// <summary>f″ = alpha·eˣ for x ≤ 0, 0 for x &gt; 0 (exp never evaluated on the positive branch, as f′).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Blend(V.GreaterThan(x, V.Create(0f)), V.Create(0f), V.Create(_alpha) * VMath.Exp(V.Clamp(x, V.Create(float.NegativeInfinity), V.Create(0f))));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > 0 ? 0 : _alpha * Math.Exp(x);
}
