using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = |x| ≥ 1 ? sign(x)·2/3 : x − x³/3; f′ = |x| &lt; 1 ? 1 − x² : 0. Smith, "Physical Audio Signal Processing",
/// 2010.
/// </summary>
internal readonly struct CubicSoftClip : IActivationKernel, IReferenceSecondDerivative<CubicSoftClip>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<CubicSoftClip>(new ActivationInfo
    {
        Name = "cubic_soft_clip", Aliases = ["cubic_clipper"], Family = "hard",
        Formula = "|x| ≥ 1 ? sign(x)·2/3 : x − x³/3",
        Derivative = "|x| < 1 ? 1 − x² : 0",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Physical Audio Signal Processing", Year = 2010,
        Notes = "The cubic soft clipper of audio signal processing: identity slope at 0, saturating at ±2/3 with f′ → 0 (C¹). 1 − x² is one fused multiply-add.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Min(V.Max(x, V.Create(-1f)), V.Create(1f));
        return V.Fma(a * a, a * V.Create(-1f / 3f), a);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Max(V.Fma(-x, x, V.Create(1f)), V.Create(0f));
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double a = Math.Min(Math.Max(x, -1), 1);
        return a - a * a * a / 3;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) < 1 ? 1 - x * x : 0;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : Math.Abs(x) < 1 ? -2 * x : 0;
}
