using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, x) + min(0, α·(e^(x/α) − 1)); f′ = 1 for x &gt; 0, e^(x/α) otherwise (C¹ for every α).
/// Equivalent to torch.nn.CELU(alpha=1.0). Barron, "Continuously Differentiable Exponential Linear Units", 2017.
/// </summary>
internal readonly struct Celu(float alpha) : IParametricActivationKernel, ISecondDerivative<Celu>
{
    private readonly float _alpha = alpha;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "celu", Family = "exponential",
        Formula = "max(0, x) + min(0, alpha·(exp(x/alpha) − 1))", Derivative = "x > 0 ? 1 : exp(x/alpha)",
        Parameters = [new("alpha", 1.0, "value approached as x → −∞ is −alpha; must be positive", "JAX 1.0", Min: 1e-6)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Continuously Differentiable Exponential Linear Units", Year = 2017,
        Notes = "Equals ELU at alpha = 1. f′(0) = 1 from both sides. Computed as alpha·expm1(min(x, 0)/alpha), so the positive side never evaluates exp. ∂f/∂alpha = x > 0 ? 0 : expm1(x/alpha) − (x/alpha)·exp(x/alpha) (cancels to ≈ −(x/alpha)²/2 near 0: absolute, not relative, accuracy there).",
        PyTorch = "torch.nn.CELU",
    }, p => new Celu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V neg = V.Create(_alpha) * VMath.Expm1(V.Min(x, V.Create(0f)) / V.Create(_alpha));
        return V.Select(V.GreaterThan(x, V.Create(0f)), x, neg);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), VMath.Exp(V.Min(x, V.Create(0f)) / V.Create(_alpha)));
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? x : _alpha * DoubleMath.Expm1(x / _alpha);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => double.IsNaN(x) ? x : x > 0 ? 1 : Math.Exp(x / _alpha);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V u = V.Min(x, V.Create(0f)) / V.Create(_alpha);
        V e = VMath.Exp(u);
        // u·e^u → 0 as u → −∞, but is −∞·0 at the infinity itself.
        V ue = V.Select(V.Equals(e, V.Create(0f)), V.Create(0f), u * e);
        return V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(0f), VMath.Expm1(u) - ue);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        if (x > 0) return 0;
        double u = x / _alpha, e = Math.Exp(u);
        return DoubleMath.Expm1(u) - (e == 0 ? 0 : u * e);
    }

    /// <summary>f″ = e^(x/alpha)/alpha for x ≤ 0, 0 for x &gt; 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(0f), VMath.Exp(V.Min(x, V.Create(0f)) / V.Create(_alpha)) / V.Create(_alpha));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > 0 ? 0 : Math.Exp(x / _alpha) / _alpha;
}
