using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? x : x/√(1 + alpha·x²); f′ = x ≥ 0 ? 1 : (1/√(1 + alpha·x²))³. Carlile et al., "Improving Deep
/// Learning by Inverse Square Root Linear Units (ISRLUs)", 2017.
/// </summary>
internal readonly struct Isrlu : IParametricActivationKernel, IReferenceSecondDerivative<Isrlu>
{
    private readonly float _alpha;
    private readonly float _limit;

    /// <summary>Saturating at −1/√alpha.</summary>
    public Isrlu(float alpha)
    {
        _alpha = alpha;
        _limit = (float)(1 / Math.Sqrt(alpha));
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "isrlu", Aliases = ["inverse_square_root_linear_unit"], Family = "rational",
        Formula = "x ≥ 0 ? x : x/√(1 + alpha·x²)",
        Derivative = "x ≥ 0 ? 1 : (1/√(1 + alpha·x²))³",
        Parameters =
        [
            new("alpha", 1.0, "negative saturation: f → −1/√alpha", Min: 1e-06),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Improving Deep Learning by Inverse Square Root Linear Units (ISRLUs)", Year = 2017,
        Notes = "ELU's shape without an exponential; C¹ (f′(0) = 1 from both sides). Below −1e18 the limit −1/√alpha is returned. ∂f/∂alpha = x ≥ 0 ? 0 : −f³/2.",
    }, p => new Isrlu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V big = V.LessThan(x, V.Create(-1e18f));
        V r = x / V.Sqrt(V.Fma(V.Create(_alpha) * x, x, V.Create(1f)));
        return V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), x, V.Select(big, V.Create(-_limit), r));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V q = V.Fma(V.Create(_alpha) * x, x, V.Create(1f));
        return V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), V.Create(1f), V.Create(1f) / (q * V.Sqrt(q)));
    }
    /// <inheritdoc/>
    public double Reference(double x) => x >= 0 ? x : x < -1e150 ? -1 / Math.Sqrt(_alpha) : x / Math.Sqrt(1 + _alpha * x * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (x >= 0) return 1;
        double r = 1 / Math.Sqrt(1 + _alpha * x * x);
        return r * r * r;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (x >= 0) return 0;
        if (x < -1e150) return 0;
        double r = 1 / Math.Sqrt(1 + _alpha * x * x);
        return -3 * _alpha * x * r * r * r * r * r;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V f = Forward(x);
        return V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), V.Create(0f), f * f * f * V.Create(-0.5f));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        if (x >= 0) return 0;
        double f = Reference(x);
        return -0.5 * f * f * f;
    }
}
