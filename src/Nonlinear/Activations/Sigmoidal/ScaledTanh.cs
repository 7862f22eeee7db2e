using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = a·tanh(b·x); f′ = a·b·sech²(b·x). Defaults a = 1.7159, b = 2/3 (LeCun's choice, so that f(±1) ≈ ±1).
/// LeCun, Bottou, Orr and Müller, "Efficient BackProp", 1998.
/// </summary>
internal readonly struct ScaledTanh(float a, float b) : IParametricActivationKernel, IReferenceSecondDerivative<ScaledTanh>
{
    private readonly float _a = a;
    private readonly float _b = b;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "scaled_tanh", Aliases = ["lecun_tanh", "stanh"], Family = "sigmoid",
        Formula = "a·tanh(b·x)",
        Derivative = "a·b·sech²(b·x)",
        Parameters = [new("a", 1.7159, "output scale", Min: 0),
            new("b", 0.6666666666666666, "input scale (2/3)", Min: 0)],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Efficient BackProp", Year = 1998,
        Notes = "a and b are stored as float (b = 2/3 rounded). sech² comes from exp(−2|bx|), never 1 − tanh².",
    }, p => new ScaledTanh((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Create(_a) * VMath.Tanh(V.Create(_b) * x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(_a * _b) * SmoothMath.Sech2(V.Create(_b) * x);
    /// <inheritdoc/>
    public double Reference(double x) => (double)_a * Math.Tanh((double)_b * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => (double)_a * _b * SmoothMath.Sech2((double)_b * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => -2 * (double)_a * _b * _b * SecondDerivativeMath.TanhSech2((double)_b * x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => VMath.Tanh(V.Create(_b) * x),
        1 => ZeroAtInfinity(x, V.Create(_a) * x * SmoothMath.Sech2(V.Create(_b) * x)),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"scaled_tanh has 2 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => Math.Tanh((double)_b * x),
        1 => double.IsInfinity(x) ? 0 : (double)_a * x * SmoothMath.Sech2((double)_b * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"scaled_tanh has 2 parameter(s)."),
    };

    // x·sech²(bx) → 0 as |x| → ∞, but is ∞·0 at the infinities themselves.
    private static V ZeroAtInfinity<V>(V x, V v) where V : struct, ISimdVec<V> =>
        V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), v);
}
