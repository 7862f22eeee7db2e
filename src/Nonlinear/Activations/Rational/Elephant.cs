namespace Nonlinear.Activations;

/// <summary>
/// f(x) = 1/(1 + |x/a|^d); f′ = −d·sign(x)·|x/a|^(d−1)·f²/a. Lan and Mahmood, "Elephant Neural Networks: Born to Be a
/// Continual Learner", 2023. A lane-wise entry: the general power runs MathF.Pow per lane (see <see cref="LaneWise{S}"/>).
/// </summary>
internal readonly struct Elephant(float a, float d) : IScalarParametricActivation
{
    private readonly float _a = a, _d = d;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "elephant", Family = "rational",
        Formula = "1/(1 + |x/a|^d)", Derivative = "−d·sign(x)·|x/a|^(d − 1)·f²/a",
        Parameters =
        [
            new("a", 1.0, "width of the bump (f(±a) = 1/2)", "other implementations use a = 2", Min: 1e-6),
            new("d", 4.0, "steepness of the flanks; d > 1 keeps f′ continuous at 0", "other implementations use d = 8", Min: 1),
        ],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Elephant Neural Networks: Born to Be a Continual Learner", Year = 2023,
        Notes = "A bump with sparse outputs and sparse gradients, proposed against catastrophic forgetting. Lane-wise vector path "
              + "(MathF.Pow per lane). f′ is 0 (not ∞·0) once |x/a|^d overflows. With t = |x/a|^d: ∂f/∂a = d·t·f²/a, "
              + "∂f/∂d = −t·ln|x/a|·f² (0 at x = 0).",
    }, v => new ParametricLaneWise<Elephant>(new Elephant((float)v[0], (float)v[1])));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Forward(float x) => 1f / (1f + MathF.Pow(MathF.Abs(x / _a), _d));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y)
    {
        float u = MathF.Abs(x / _a), t = MathF.Pow(u, _d);
        if (float.IsInfinity(t)) return 0f;
        float f = 1f / (1f + t);
        return -MathF.CopySign(_d * MathF.Pow(u, _d - 1) * f * f / _a, x);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float ParameterDerivative(float x, float y, int index)
    {
        float u = MathF.Abs(x / _a), t = MathF.Pow(u, _d);
        if (float.IsInfinity(t) || u == 0) return 0f;
        float f = 1f / (1f + t);
        return index == 0 ? _d * t * f * f / _a : -t * MathF.Log(u) * f * f;
    }
    /// <inheritdoc/>
    public double Reference(double x) => 1 / (1 + Math.Pow(Math.Abs(x / _a), _d));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x)
    {
        double u = Math.Abs(x / _a), t = Math.Pow(u, _d);
        if (double.IsInfinity(t)) return 0;
        double f = 1 / (1 + t);
        return -Math.CopySign(_d * Math.Pow(u, _d - 1) * f * f / _a, x);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        // With u = |x/a|, t = uᵈ: f″ = d·u^(d−2)·(2d·t/(1 + t) − (d − 1))/((1 + t)²·a²).
        double u = Math.Abs(x / _a), t = Math.Pow(u, _d);
        if (double.IsInfinity(t)) return 0;
        double q = 1 + t;
        return _d * Math.Pow(u, _d - 2) * (2 * _d * t / q - (_d - 1)) / (q * q * _a * _a);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double u = Math.Abs(x / _a), t = Math.Pow(u, _d);
        if (double.IsInfinity(t) || u == 0) return 0;
        double f = 1 / (1 + t);
        return index == 0 ? _d * t * f * f / _a : -t * Math.Log(u) * f * f;
    }
}
