using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = e^(−|x|/a); f′ = −sign(x)·f/a (0 at the kink). a = 1.
/// Ramasinghe and Lucey, "Beyond Periodicity: Towards a Unifying Framework for Activations in Coordinate-MLPs", 2022.
/// </summary>
internal readonly struct Laplacian(float a) : IParametricActivationKernel, IReferenceSecondDerivative<Laplacian>
{
    private readonly float _a = a;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "laplacian", Family = "radial",
        Formula = "exp(−|x|/a)",
        Derivative = "−sign(x)·exp(−|x|/a)/a",
        Parameters = [new("a", 1.0, "width", Min: 0.001)],
        Properties = ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Beyond Periodicity: Towards a Unifying Framework for Activations in Coordinate-MLPs", Year = 2022,
        Notes = "Not differentiable at 0; f′(0) = 0 (the mean of the one-sided slopes, as torch.abs's sign(0) = 0).",
    }, p => new Laplacian((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(-V.Abs(x) / V.Create(_a));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V sgn = (V.GreaterThan(x, V.Create(0f)) & V.Create(1f)) - (V.LessThan(x, V.Create(0f)) & V.Create(1f));
        return -sgn * VMath.Exp(-V.Abs(x) / V.Create(_a)) / V.Create(_a);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Exp(-Math.Abs(x) / _a);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        (x > 0 ? -1 : x < 0 ? 1 : x == 0 ? 0 : x) * Math.Exp(-Math.Abs(x) / _a) / _a;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => Math.Exp(-Math.Abs(x) / _a) / ((double)_a * _a);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => ADerivative(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"laplacian has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => double.IsInfinity(x) ? 0 : Math.Abs(x) / ((double)_a * _a) * Math.Exp(-Math.Abs(x) / _a),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"laplacian has 1 parameter(s)."),
    };

    // ∂f/∂a = |x|/a²·f; |x| clamped so it is 0 (not ∞·0) at ±∞.
    private V ADerivative<V>(V x) where V : struct, ISimdVec<V>
    {
        V ax = V.Min(V.Abs(x), V.Create(1e30f));
        return ax / V.Create(_a * _a) * VMath.Exp(-ax / V.Create(_a));
    }
}
