using Nonlinear.Tensors;
using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = exp(−x²/(2σ²)); f′ = −(x/σ²)·f. σ = 1 by default.
/// Chng, Ramasinghe, Sherrah and Lucey, "GARF: Gaussian Activated Radiance Fields for High Fidelity Reconstruction and Pose Estimation", 2022.
/// </summary>
internal readonly struct Gaussian(float sigma) : IParametricActivationKernel, ISecondDerivative<Gaussian>, IComposedDerivative
{
    private readonly float _sigma = sigma;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "gaussian", Aliases = ["garf"], Family = "radial",
        Formula = "exp(−x²/(2·sigma²))",
        Derivative = "−x/sigma²·exp(−x²/(2·sigma²))",
        Parameters = [new("sigma", 1.0, "width", "GARF uses sigma = 0.1 in coordinate networks", Min: 0.001)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "GARF: Gaussian Activated Radiance Fields for High Fidelity Reconstruction and Pose Estimation", Year = 2022,
        Notes = "u = x/sigma, then exp(−u²/2) with u² split exactly (hi + lo): the tails keep relative accuracy up to the rounding of u, which the function amplifies by u² (its own conditioning).",
    }, p => new Gaussian((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => SmoothMath.ExpNegSquare(x / V.Create(_sigma), 0.5f);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V u = V.Min(V.Max(x / V.Create(_sigma), V.Create(-1e4f)), V.Create(1e4f));
        return -(u / V.Create(_sigma)) * SmoothMath.ExpNegSquare(u, 0.5f);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Exp(-0.5 * (x / _sigma) * (x / _sigma));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        double.IsInfinity(x) ? 0 : -x / ((double)_sigma * _sigma) * Math.Exp(-0.5 * (x / _sigma) * (x / _sigma));
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => SigmaDerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"gaussian has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => double.IsInfinity(x) ? 0 : x * x / ((double)_sigma * _sigma * _sigma) * Math.Exp(-0.5 * (x / _sigma) * (x / _sigma)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"gaussian has 1 parameter(s)."),
    };

    // ∂f/∂σ = f·u²/σ (u clamped so it is 0, not ∞·0, at ±∞).
    private V SigmaDerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V u = V.Min(V.Max(x / V.Create(_sigma), V.Create(-1e4f)), V.Create(1e4f));
        return u * u / V.Create(_sigma) * SmoothMath.ExpNegSquare(u, 0.5f);
    }

    /// <summary>f″ = (u² − 1)/sigma²·exp(−u²/2), u = x/sigma (u clamped to ±1e4 as in f′, so ±∞ gives 0, not NaN).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V u = V.Min(V.Max(x / V.Create(_sigma), V.Create(-1e4f)), V.Create(1e4f));
        return V.Fma(u, u, V.Create(-1f)) / V.Create(_sigma * _sigma) * SmoothMath.ExpNegSquare(u, 0.5f);
    }
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double u = x / _sigma;
        return (u * u - 1) / ((double)_sigma * _sigma) * Math.Exp(-0.5 * u * u);
    }
    /// <inheritdoc/>
    public Tensor Derivative(Tensor x, Tensor y) => Ops.Mul(Ops.MulScalar(x, -1f / (_sigma * _sigma)), y);
}
