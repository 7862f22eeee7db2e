using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≤ −gamma/2 ? 0 : x ≥ gamma/2 ? 1 : −2x³/gamma³ + 3x/(2·gamma) + 1/2; f′ = |x| &lt; gamma/2 ? 3/(2·gamma) −
/// 6x²/gamma³ : 0. Hazimeh et al., "DSelect-k: Differentiable Selection in the Mixture of Experts with Applications to
/// Multi-Task Learning", 2021.
/// </summary>
internal readonly struct SmoothStep(float gamma) : IParametricActivationKernel, IReferenceSecondDerivative<SmoothStep>
{
    private readonly float _gamma = gamma;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "smooth_step", Aliases = ["smoothstep"], Family = "hard",
        Formula = "x ≤ −gamma/2 ? 0 : x ≥ gamma/2 ? 1 : −2x³/gamma³ + 3x/(2·gamma) + 1/2",
        Derivative = "|x| < gamma/2 ? 3/(2·gamma) − 6x²/gamma³ : 0",
        Parameters =
        [
            new("gamma", 1.0, "width of the cubic transition", Min: 1e-06),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "DSelect-k: Differentiable Selection in the Mixture of Experts with Applications to Multi-Task Learning", Year = 2021,
        Notes = "C¹, exactly 0 and 1 outside [−gamma/2, gamma/2] (sparse gates). Evaluated as t²(3 − 2t) with t = x/gamma + 1/2 clamped to [0, 1], which keeps relative accuracy near 0. ∂f/∂gamma = −6t(1 − t)·x/gamma² inside, else 0.",
    }, p => new SmoothStep((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V t = V.Min(V.Max(V.Fma(x, V.Create(1f / _gamma), V.Create(0.5f)), V.Create(0f)), V.Create(1f));
        return t * t * V.Fma(V.Create(-2f), t, V.Create(3f));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V t = V.Fma(x, V.Create(1f / _gamma), V.Create(0.5f)), u = V.Fma(-x, V.Create(1f / _gamma), V.Create(0.5f));
        V inside = V.GreaterThan(t, V.Create(0f)) & V.GreaterThan(u, V.Create(0f));
        return inside & (V.Create(6f / _gamma) * t * u);
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double t = Math.Min(Math.Max(x / _gamma + 0.5, 0), 1);
        return t * t * (3 - 2 * t);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double t = 0.5 + x / _gamma, u = 0.5 - x / _gamma;
        return t > 0 && u > 0 ? 6 * t * u / _gamma : 0;
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double t = 0.5 + x / _gamma, u = 0.5 - x / _gamma;
        return double.IsNaN(x) ? x : t > 0 && u > 0 ? -12 * x / ((double)_gamma * _gamma * _gamma) : 0;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V t = V.Fma(x, V.Create(1f / _gamma), V.Create(0.5f)), u = V.Fma(-x, V.Create(1f / _gamma), V.Create(0.5f));
        V inside = V.GreaterThan(t, V.Create(0f)) & V.GreaterThan(u, V.Create(0f));
        return inside & (V.Create(-6f / (_gamma * _gamma)) * t * u * x);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double t = 0.5 + x / _gamma, u = 0.5 - x / _gamma;
        return t > 0 && u > 0 ? -6 * t * u * x / ((double)_gamma * _gamma) : 0;
    }
}
