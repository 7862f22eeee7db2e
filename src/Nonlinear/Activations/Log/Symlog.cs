using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sign(x)·ln(1 + |x|); f′ = 1/(1 + |x|). Hafner et al., "Mastering Diverse Domains through World Models", 2023.
/// </summary>
internal readonly struct Symlog : IActivationKernel, IReferenceSecondDerivative<Symlog>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Symlog>(new ActivationInfo
    {
        Name = "symlog", Aliases = ["signed_log", "symmetric_log"], Family = "log",
        Formula = "sign(x)·ln(1 + |x|)",
        Derivative = "1/(1 + |x|)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Mastering Diverse Domains through World Models", Year = 2023,
        Notes = "DreamerV3's squashing of targets and inputs: logarithmic growth, identity slope at 0 (C¹; f″ jumps). symlog(±0) = ±0.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        VMath.Log1p(V.Abs(x)) | (x & V.Create(-0f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(1f) / (V.Create(1f) + V.Abs(x));
    /// <inheritdoc/>
    public double Reference(double x) => Math.CopySign(DoubleMath.Log1p(Math.Abs(x)), x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1 / (1 + Math.Abs(x));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double r = 1 / (1 + Math.Abs(x));
        return x > 0 ? -r * r : x < 0 ? r * r : 0 * x;
    }
}
