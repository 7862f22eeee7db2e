using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·tanh(x); f′ = tanh(x) + x·sech²(x).
/// Roy et al., "LiSHT: Non-Parametric Linearly Scaled Hyperbolic Tangent Activation Function for Neural Networks", 2019.
/// </summary>
internal readonly struct Lisht : IActivationKernel, IReferenceSecondDerivative<Lisht>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Lisht>(new()
    {
        Name = "lisht", Family = "gated",
        Formula = "x·tanh(x)",
        Derivative = "tanh(x) + x·sech²(x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "LiSHT: Non-Parametric Linearly Scaled Hyperbolic Tangent Activation Function for Neural Networks", Year = 2019,
        Notes = "Even, ≥ 0. sech² from exp(−2|x|) (no 1 − tanh² cancellation); |x| clamped at 1e30 in backward so x·sech² is 0, not ∞·0.",
        PyTorch = "tfa.activations.lisht (TensorFlow Addons)",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => x * VMath.Tanh(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V xc = V.Min(V.Max(x, V.Create(-1e30f)), V.Create(1e30f));
        return V.Fma(xc, SmoothMath.Sech2(xc), VMath.Tanh(xc));
    }
    /// <inheritdoc/>
    public double Reference(double x) => x * Math.Tanh(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) =>
        double.IsInfinity(x) ? Math.Sign(x) : Math.Tanh(x) + x * SmoothMath.Sech2(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        if (double.IsInfinity(x)) return 0;
        double s2 = SmoothMath.Sech2(x);
        return s2 == 0 ? 0 : 2 * s2 * (1 - x * Math.Tanh(x));
    }
}
