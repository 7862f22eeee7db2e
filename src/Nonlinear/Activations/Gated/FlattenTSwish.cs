using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·σ(x) + T for x ≥ 0, T otherwise (T = −0.2); f′ = σ(x)·(1 + x·σ(−x)) for x ≥ 0, 0 otherwise.
/// Chieng, Wahid, Pauline and Perla, "Flatten-T Swish: a thresholded ReLU-Swish-like activation function for deep learning", 2018.
/// </summary>
internal readonly struct FlattenTSwish(float t) : IParametricActivationKernel, IReferenceSecondDerivative<FlattenTSwish>
{
    private readonly float _t = t;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "flatten_t_swish", Aliases = ["fts"], Family = "gated",
        Formula = "x ≥ 0 ? x·σ(x) + T : T",
        Derivative = "x ≥ 0 ? σ(x)·(1 + x·σ(−x)) : 0",
        Parameters = [new("t", -0.2, "the flat negative value T")],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Flatten-T Swish: a thresholded ReLU-Swish-like activation function for deep learning", Year = 2018,
        Notes = "f′ jumps at 0 from 0 to 1/2; f′(0) = 1/2 (the x ≥ 0 branch).",
    }, p => new FlattenTSwish((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), V.Create(_t), new Silu(1f).Forward(x) + V.Create(_t));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.LessThan(x, V.Create(0f)), V.Create(0f), new Silu(1f).Derivative(x, y));
    /// <inheritdoc/>
    public double Reference(double x) => x < 0 ? _t : new Silu(1f).Reference(x) + _t;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x < 0 ? 0 : new Silu(1f).ReferenceDerivative(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => x < 0 ? 0 : SecondDerivativeMath.SiluSecond(x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => V.Create(1f),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"flatten_t_swish has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"flatten_t_swish has 1 parameter(s)."),
    };
}
