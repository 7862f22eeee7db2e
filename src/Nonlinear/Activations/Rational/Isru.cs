using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x/√(1 + alpha·x²); f′ = (1/√(1 + alpha·x²))³. Carlile et al., "Improving Deep Learning by Inverse Square Root
/// Linear Units (ISRLUs)", 2017.
/// </summary>
internal readonly struct Isru : IParametricActivationKernel, IReferenceSecondDerivative<Isru>
{
    private readonly float _alpha;
    private readonly float _limit;

    /// <summary>Saturating at ±1/√alpha.</summary>
    public Isru(float alpha)
    {
        _alpha = alpha;
        _limit = (float)(1 / Math.Sqrt(alpha));
    }

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "isru", Aliases = ["inverse_square_root_unit"], Family = "rational",
        Formula = "x/√(1 + alpha·x²)",
        Derivative = "(1/√(1 + alpha·x²))³",
        Parameters =
        [
            new("alpha", 1.0, "saturation: f → ±1/√alpha", Min: 1e-06),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Improving Deep Learning by Inverse Square Root Linear Units (ISRLUs)", Year = 2017,
        Notes = "An algebraic sigmoid (tanh-like, no exponential). For |x| > 1e18 (where alpha·x² would overflow) the limit ±1/√alpha is returned. ∂f/∂alpha = −f³/2.",
    }, p => new Isru((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V big = V.GreaterThan(V.Abs(x), V.Create(1e18f));
        V r = x / V.Sqrt(V.Fma(V.Create(_alpha) * x, x, V.Create(1f)));
        return V.Select(V.IsNaN(x), x, V.Select(big, V.Create(_limit) | (x & V.Create(-0f)), r));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V q = V.Fma(V.Create(_alpha) * x, x, V.Create(1f));
        return V.Create(1f) / (q * V.Sqrt(q));
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Abs(x) > 1e150 ? Math.CopySign(1 / Math.Sqrt(_alpha), x) : x / Math.Sqrt(1 + _alpha * x * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double r = 1 / Math.Sqrt(1 + _alpha * x * x);
        return r * r * r;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (Math.Abs(x) > 1e150) return 0;
        double r = 1 / Math.Sqrt(1 + _alpha * x * x);
        return -3 * _alpha * x * r * r * r * r * r;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V f = Forward(x);
        return f * f * f * V.Create(-0.5f);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double f = Reference(x);
        return -0.5 * f * f * f;
    }
}
