using Nonlinear.Tensors;
using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sin(ω·x) (ω = 1); f′ = ω·cos(ω·x). SIREN uses ω = 30 in its first layer.
/// Sitzmann et al., "Implicit Neural Representations with Periodic Activation Functions", 2020.
/// </summary>
internal readonly struct Sine(float omega) : IParametricActivationKernel, ISecondDerivative<Sine>, IComposedDerivative
{
    private readonly float _omega = omega;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "sine", Aliases = ["sin", "siren"], Family = "periodic",
        Formula = "sin(omega·x)",
        Derivative = "omega·cos(omega·x)",
        Parameters = [new("omega", 1.0, "frequency", "SIREN: omega_0 = 30 (first layer)", Min: 0)],
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred | ActivationProperties.Periodic,
        Uses = BackwardUses.Input,
        Paper = "Implicit Neural Representations with Periodic Activation Functions", Year = 2020,
        Notes = "Oscillates without a limit: NaN at ±∞. Accurate for |x| ≤ 1e6 (VMath.Sin/Cos); beyond, bounded but no longer accurate.",
        PyTorch = "torch.sin(omega·x)",
    }, p => new Sine((float)p[0]));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Sin(V.Create(_omega) * x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(_omega) * VMath.Cos(V.Create(_omega) * x);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Sin((double)_omega * x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => _omega * Math.Cos((double)_omega * x);
    /// <inheritdoc/>
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V> => index switch
    {
        0 => x * VMath.Cos(V.Create(_omega) * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"sine has 1 parameter(s)."),
    };
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index) => index switch
    {
        0 => x * Math.Cos((double)_omega * x),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, $"sine has 1 parameter(s)."),
    };

    /// <summary>f″ = −omega²·sin(omega·x).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(-_omega * _omega) * VMath.Sin(V.Create(_omega) * x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => -(double)_omega * _omega * Math.Sin((double)_omega * x);
    /// <inheritdoc/>
    public Tensor Derivative(Tensor x, Tensor y) => Ops.MulScalar(Ops.Cos(Ops.MulScalar(x, _omega)), _omega);
}
