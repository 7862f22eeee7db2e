using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = tanh(x) for x &gt; 0, a·tanh(x) otherwise (a = 0.25); f′ = sech²(x) or a·sech²(x).
/// Xu, Huang and Li, "Revise Saturated Activation Functions", 2016.
/// </summary>
internal readonly struct PenalizedTanh(float a) : IParametricActivationKernel, IReferenceSecondDerivative<PenalizedTanh>
{
    private readonly float _a = a;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "penalized_tanh", Family = "sigmoid",
        Formula = "x > 0 ? tanh(x) : a·tanh(x)",
        Derivative = "x > 0 ? sech²(x) : a·sech²(x)",
        Parameters = [new("a", 0.25, "slope factor of the negative side", Min: 0, Max: 1)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Revise Saturated Activation Functions", Year = 2016,
        Notes = "f′ jumps at 0 from a to 1; f′(0) = a (the x ≤ 0 branch).",
    }, p => new PenalizedTanh((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V t = VMath.Tanh(x);
        return V.Select(V.GreaterThan(x, V.Create(0f)), t, V.Create(_a) * t);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V s = SmoothMath.Sech2(x);
        return V.Select(V.GreaterThan(x, V.Create(0f)), s, V.Create(_a) * s);
    }
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? Math.Tanh(x) : _a * Math.Tanh(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? SmoothMath.Sech2(x) : _a * SmoothMath.Sech2(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => (x > 0 ? 1 : _a) * -2 * SecondDerivativeMath.TanhSech2(x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(0f), VMath.Tanh(x)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"penalized_tanh has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x > 0 ? 0 : Math.Tanh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"penalized_tanh has 1 parameter(s)."),
    };
}
