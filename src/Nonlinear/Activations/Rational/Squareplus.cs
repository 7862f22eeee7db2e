using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = (x + √(x² + b))/2; f′ = (1 + x/√(x² + b))/2. Barron, "Squareplus: A Softplus-Like Algebraic Rectifier", 2021.
/// </summary>
internal readonly struct Squareplus(float b) : IParametricActivationKernel, IReferenceSecondDerivative<Squareplus>
{
    private readonly float _b = b;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "squareplus", Family = "rational",
        Formula = "(x + √(x² + b))/2",
        Derivative = "(1 + x/√(x² + b))/2",
        Parameters =
        [
            new("b", 4.0, "curvature at 0 (b = 0 gives relu)", "JAX and Keras squareplus b = 4", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Squareplus: A Softplus-Like Algebraic Rectifier", Year = 2021,
        Notes = "For x < 0 evaluated as b/(2(√(x² + b) − x)), which does not cancel; for |x| > 1e18 √(x² + b) is taken as |x|. ∂f/∂b = 1/(4·√(x² + b)).",
    }, p => new Squareplus((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V s = V.Select(V.GreaterThan(V.Abs(x), V.Create(1e18f)), V.Abs(x), V.Sqrt(V.Fma(x, x, V.Create(_b))));
        return Half(x, s);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V s = V.Select(V.GreaterThan(V.Abs(x), V.Create(1e18f)), V.Abs(x), V.Sqrt(V.Fma(x, x, V.Create(_b))));
        // f′ = (x + s)/(2s) = f/s; only ±∞ (where f/s is ∞/∞) needs its limit.
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.GreaterThan(x, V.Create(0f)) & V.Create(1f), Half(x, s) / s);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double s = Math.Abs(x) > 1e150 ? Math.Abs(x) : Math.Sqrt(x * x + _b);
        return x >= 0 ? x / 2 + s / 2 : _b / 4 / (s / 2 - x / 2);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double s = Math.Abs(x) > 1e150 ? Math.Abs(x) : Math.Sqrt(x * x + _b);
        return (x >= 0 ? x / 2 + s / 2 : _b / 4 / (s / 2 - x / 2)) / s;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double s = Math.Abs(x) > 1e150 ? Math.Abs(x) : Math.Sqrt(x * x + _b);
        return _b == 0 ? (double.IsNaN(x) ? x : 0) : _b / (2 * s * s * s);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V s = V.Select(V.GreaterThan(V.Abs(x), V.Create(1e18f)), V.Abs(x), V.Sqrt(V.Fma(x, x, V.Create(_b))));
        return V.Create(0.25f) / s;
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double s = Math.Abs(x) > 1e150 ? Math.Abs(x) : Math.Sqrt(x * x + _b);
        return 0.25 / s;
    }

    // (x + s)/2 as x/2 + s/2 (no overflow at float.MaxValue); for x < 0 the equal b/(2(s − x)) = (b/4)/(s/2 − x/2), which does
    // not cancel and does not overflow either.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private V Half<V>(V x, V s) where V : struct, ISimdVec<V>
    {
        V h = V.Create(0.5f);
        return V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), x * h + s * h, V.Create(0.25f * _b) / (s * h - x * h));
    }
}
