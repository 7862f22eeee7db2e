using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = ln(beta·max(0, x) + 1); f′ = x &gt; 0 ? beta/(1 + beta·x) : 0. Liu, Zhang and Wang,
/// "Natural-Logarithm-Rectified Activation Function in Convolutional Neural Networks", 2019.
/// </summary>
internal readonly struct Nlrelu(float beta) : IParametricActivationKernel, IReferenceSecondDerivative<Nlrelu>
{
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "nlrelu", Aliases = ["natural_log_relu"], Family = "relu",
        Formula = "ln(beta·max(0, x) + 1)",
        Derivative = "x > 0 ? beta/(1 + beta·x) : 0",
        Parameters =
        [
            new("beta", 1.0, "scale inside the logarithm", Min: 0.0),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Paper = "Natural-Logarithm-Rectified Activation Function in Convolutional Neural Networks", Year = 2019,
        Notes = "f′(0) = 0. ∂f/∂beta = r/(1 + beta·r) with r = max(0, x), computed as 1/(beta + 1/r) so that r = ∞ gives 1/beta.",
    }, p => new Nlrelu((float)p[0]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        VMath.Log1p(V.Create(_beta) * V.Max(x, V.Create(0f)));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(0f)) & (V.Create(_beta) / (V.Create(1f) + V.Create(_beta) * x));
    /// <inheritdoc/>
    public double Reference(double x) => DoubleMath.Log1p(_beta * Math.Max(x, 0));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? _beta / (1 + _beta * x) : 0;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (!(x > 0)) return double.IsNaN(x) ? x : 0;
        double d = 1 + _beta * x;
        return -(double)_beta * _beta / (d * d);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V r = V.Max(x, V.Create(0f));
        return V.Create(1f) / (V.Create(_beta) + V.Create(1f) / r);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double r = Math.Max(x, 0);
        return 1 / (_beta + 1 / r);
    }
}
