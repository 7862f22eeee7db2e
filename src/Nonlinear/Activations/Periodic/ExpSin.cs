using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = exp(−sin(a·x)) (a = 1); f′ = −a·cos(ax)·f.
/// Ramasinghe and Lucey, "Beyond Periodicity: Towards a Unifying Framework for Activations in Coordinate-MLPs", 2022.
/// </summary>
internal readonly struct ExpSin(float a) : IParametricActivationKernel, IReferenceSecondDerivative<ExpSin>
{
    private readonly float _a = a;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "expsin", Family = "periodic",
        Formula = "exp(−sin(a·x))",
        Derivative = "−a·cos(a·x)·exp(−sin(a·x))",
        Parameters = [new("a", 1.0, "frequency", Min: 0)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.Periodic,
        Uses = BackwardUses.Input,
        Paper = "Beyond Periodicity: Towards a Unifying Framework for Activations in Coordinate-MLPs", Year = 2022,
        Notes = "Range [1/e, e]. Oscillates without a limit: NaN at ±∞. Accurate for |x| ≤ 1e6 (VMath.Sin/Cos); beyond, bounded but no longer accurate.",
    }, p => new ExpSin((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Exp(-VMath.Sin(V.Create(_a) * x));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s, c) = VMath.SinCos(V.Create(_a) * x);
        return -V.Create(_a) * c * VMath.Exp(-s);
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Exp(-Math.Sin((double)_a * x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        -_a * Math.Cos((double)_a * x) * Math.Exp(-Math.Sin((double)_a * x));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double ax = (double)_a * x, s = Math.Sin(ax), c = Math.Cos(ax);
        return (double)_a * _a * Math.Exp(-s) * (s + c * c);
    }
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => -x * VMath.Cos(V.Create(_a) * x) * VMath.Exp(-VMath.Sin(V.Create(_a) * x)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"expsin has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => -x * Math.Cos((double)_a * x) * Math.Exp(-Math.Sin((double)_a * x)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"expsin has 1 parameter(s)."),
    };
}
