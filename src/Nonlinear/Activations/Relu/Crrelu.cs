using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, x) + eps·x·exp(−x²/2); f′ = (x &gt; 0 ? 1 : 0) + eps·(1 − x²)·exp(−x²/2). "Entropy-based Activation
/// Function Optimization: A Method on Searching Better Activation Functions", 2024.
/// </summary>
internal readonly struct Crrelu(float eps) : IParametricActivationKernel, IReferenceSecondDerivative<Crrelu>
{
    private readonly float _eps = eps;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "crrelu", Aliases = ["correction_regularized_relu"], Family = "relu",
        Formula = "max(0, x) + eps·x·exp(−x²/2)",
        Derivative = "(x > 0 ? 1 : 0) + eps·(1 − x²)·exp(−x²/2)",
        Parameters =
        [
            new("eps", 0.01, "weight of the Gaussian-derivative correction (learnable in the paper)"),
        ],
        Properties = ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Entropy-based Activation Function Optimization: A Method on Searching Better Activation Functions", Year = 2024,
        Notes = "f′(0) = eps (the x > 0 branch is excluded at 0). The correction is 0 (not ∞·0) once exp(−x²/2) underflows. ∂f/∂eps = x·exp(−x²/2).",
    }, p => new Crrelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V e = Gauss(x);
        V g = V.Select(V.Equals(e, V.Create(0f)), V.Create(0f), V.Create(_eps) * x * e);
        return V.Max(x, V.Create(0f)) + g;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V e = Gauss(x);
        V g = V.Select(V.Equals(e, V.Create(0f)), V.Create(0f), V.Create(_eps) * V.Fma(-x, x, V.Create(1f)) * e);
        return (V.GreaterThan(x, V.Create(0f)) & V.Create(1f)) + g;
    }
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double e = Math.Exp(-x * x / 2);
        return Math.Max(x, 0) + (e == 0 ? 0 : _eps * x * e);
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double e = Math.Exp(-x * x / 2);
        return (x > 0 ? 1 : 0) + (e == 0 ? 0 : _eps * (1 - x * x) * e);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double e = Math.Exp(-x * x / 2);
        return e == 0 ? 0 : _eps * x * (x * x - 3) * e;
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V e = Gauss(x);
        return V.Select(V.Equals(e, V.Create(0f)), V.Create(0f), x * e);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double e = Math.Exp(-x * x / 2);
        return e == 0 ? 0 : x * e;
    }

    // exp(−x²/2) with x² split exactly (hi + lo, lo from a fused multiply-add): rounding x² would cost |x²/2| ulp of
    // relative error in the exponential (30 ulp at x = 8); the first-order correction e·(1 − lo/2) removes it.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static V Gauss<V>(V x) where V : struct, ISimdVec<V>
    {
        // |x| ≥ 16 underflows to 0 anyway; clamping keeps x² and its remainder finite up to ±∞ (NaN still propagates).
        V a = V.Min(V.Abs(x), V.Create(16f));
        V hi = a * a;
        V lo = V.Fma(a, a, -hi);
        V e = VMath.Exp(hi * V.Create(-0.5f));
        return V.Fma(e * lo, V.Create(-0.5f), e);
    }
}
