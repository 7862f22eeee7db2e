using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sign(x)·ln(1 + |x|); f′ = 1/(1 + |x|).
/// Hafner et al., "Mastering Diverse Domains through World Models", 2023 (DreamerV3).
/// </summary>
public readonly struct Symlog : IActivationKernel
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Symlog>(new()
    {
        Name = "symlog", Aliases = ["signed_log1p"], Family = "logarithmic",
        Formula = "sign(x)·ln(1 + |x|)",
        Derivative = "1/(1 + |x|)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Mastering Diverse Domains through World Models", Year = 2023,
        Notes = "log1p keeps relative accuracy near 0; odd (−0 kept). C¹, not C² at 0.",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Log1p(V.Abs(x)) | (x & V.Create(-0f));
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(1f) / (V.Create(1f) + V.Abs(x));
    /// <inheritdoc/>
    public double Reference(double x) => Math.CopySign(DoubleMath.Log1p(Math.Abs(x)), x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1 / (1 + Math.Abs(x));
}
