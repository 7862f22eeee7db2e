using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = β·x·σ(x) (β = 1.375); f′ = β·σ(x)·(1 + x·σ(−x)).
/// Alcaide, "E-swish: Adjusting Activations to Different Network Depths", 2018.
/// </summary>
internal readonly struct ESwish(float beta) : IParametricActivationKernel, IReferenceSecondDerivative<ESwish>
{
    private readonly float _beta = beta;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "e_swish", Aliases = ["eswish"], Family = "gated",
        Formula = "beta·x·σ(x)",
        Derivative = "beta·σ(x)·(1 + x·σ(−x))",
        Parameters = [new("beta", 1.375, "output scale (the paper recommends 1 ≤ beta ≤ 2)", Min: 0)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "E-swish: Adjusting Activations to Different Network Depths", Year = 2018,
    }, p => new ESwish((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Create(_beta) * new Silu(1f).Forward(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(_beta) * new Silu(1f).Derivative(x, y);
    /// <inheritdoc/>
    public double Reference(double x) => _beta * new Silu(1f).Reference(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => _beta * new Silu(1f).ReferenceDerivative(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => _beta * SecondDerivativeMath.SiluSecond(x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => new Silu(1f).Forward(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"e_swish has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => new Silu(1f).Reference(x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"e_swish has 1 parameter(s)."),
    };
}
