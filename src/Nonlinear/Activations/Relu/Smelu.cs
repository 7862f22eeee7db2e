using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≤ −beta ? 0 : x ≥ beta ? x : (x + beta)²/(4·beta); f′ = x ≤ −beta ? 0 : x ≥ beta ? 1 : (x + beta)/(2·beta).
/// Shamir, Lin and Coviello, "Smooth activations and reproducibility in deep networks", 2020.
/// </summary>
internal readonly struct Smelu(float beta) : IParametricActivationKernel, IReferenceSecondDerivative<Smelu>
{
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "smelu", Aliases = ["smooth_relu"], Family = "relu",
        Formula = "x ≤ −beta ? 0 : x ≥ beta ? x : (x + beta)²/(4·beta)",
        Derivative = "x ≤ −beta ? 0 : x ≥ beta ? 1 : (x + beta)/(2·beta)",
        Parameters =
        [
            new("beta", 1.0, "half-width of the quadratic joint", Min: 1e-06),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Smooth activations and reproducibility in deep networks", Year = 2020,
        Notes = "C¹: quadratic (x + beta)²/(4·beta) on |x| ≤ beta joins 0 and x with matching slopes. ∂f/∂beta = (beta² − x²)/(4·beta²) on |x| < beta, else 0. sparse_plus is smelu with beta = 1.",
    }, p => new Smelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V b = V.Create(_beta);
        V q = x + b;
        V quad = q * q * V.Create(0.25f / _beta);
        return V.Select(V.IsNaN(x), x, V.Select(V.GreaterThanOrEqual(x, b), x, V.Select(V.LessThanOrEqual(x, -b), V.Create(0f), quad)));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V b = V.Create(_beta);
        return V.Select(V.GreaterThanOrEqual(x, b), V.Create(1f), V.Select(V.LessThanOrEqual(x, -b), V.Create(0f), (x + b) * V.Create(0.5f / _beta)));
    }
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x >= _beta ? x : x <= -_beta ? 0 : (x + _beta) * (x + _beta) / (4.0 * _beta);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x >= _beta ? 1 : x <= -_beta ? 0 : (x + _beta) / (2.0 * _beta);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : Math.Abs(x) < _beta ? 1 / (2.0 * _beta) : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V b = V.Create(_beta);
        V inside = V.LessThan(V.Abs(x), b);
        return inside & ((b - x) * (b + x) * V.Create(0.25f / (_beta * _beta)));
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => Math.Abs(x) < _beta ? (_beta - x) * (_beta + x) / (4.0 * _beta * _beta) : 0;
}
