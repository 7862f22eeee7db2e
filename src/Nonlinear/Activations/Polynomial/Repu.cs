namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, x)^p; f′ = p·max(0, x)^(p−1). Rectified power unit: Li, Tang and Yu, "Better Approximations of High
/// Dimensional Smooth Functions by Deep Neural Networks with Rectified Power Units", 2019. A lane-wise entry: the power
/// has no vector formula here, so every lane calls MathF.Pow (see <see cref="LaneWise{S}"/>).
/// </summary>
internal readonly struct Repu(float p) : IScalarParametricActivation
{
    private readonly float _p = p;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "repu", Aliases = ["rectified_power_unit"], Family = "polynomial",
        Formula = "max(0, x)^p", Derivative = "x > 0 ? p·x^(p − 1) : 0",
        Parameters = [new("p", 3.0, "power (p = 2 is relu_squared); p ≥ 1 keeps f′ finite at 0", null, Min: 1)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Better Approximations of High Dimensional Smooth Functions by Deep Neural Networks with Rectified Power Units", Year = 2019,
        Notes = "C^(p−1) for integer p. Lane-wise vector path (MathF.Pow per lane). Overflows to +∞ in float32 once x^p exceeds "
              + "3.4e38. ∂f/∂p = x > 0 ? x^p·ln x : 0.",
    }, v => new ParametricLaneWise<Repu>(new Repu((float)v[0])));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Forward(float x) => x > 0 ? MathF.Pow(x, _p) : float.IsNaN(x) ? x : 0f;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Derivative(float x, float y) => x > 0 ? _p * MathF.Pow(x, _p - 1) : 0f;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float ParameterDerivative(float x, float y, int index) => x > 0 ? MathF.Pow(x, _p) * MathF.Log(x) : 0f;
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? Math.Pow(x, _p) : double.IsNaN(x) ? x : 0;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? _p * Math.Pow(x, _p - 1) : 0;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => x > 0 ? _p * (_p - 1.0) * Math.Pow(x, _p - 2) : double.IsNaN(x) ? x : 0;
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => x > 0 ? Math.Pow(x, _p) * Math.Log(x) : 0;
}
