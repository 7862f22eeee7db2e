using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·cos(x); f′ = cos(x) − x·sin(x).
/// Noel, Trivedi et al., "Growing Cosine Unit: A Novel Oscillatory Activation Function That Can Speedup Training and Reduce Parameters in Convolutional Neural Networks", 2021.
/// </summary>
internal readonly struct Gcu : IActivationKernel, IReferenceSecondDerivative<Gcu>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Gcu>(new()
    {
        Name = "gcu", Aliases = ["growing_cosine_unit"], Family = "gated",
        Formula = "x·cos(x)",
        Derivative = "cos(x) − x·sin(x)",
        Properties = ActivationProperties.Smooth | ActivationProperties.ZeroCentred | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Growing Cosine Unit: A Novel Oscillatory Activation Function That Can Speedup Training and Reduce Parameters in Convolutional Neural Networks", Year = 2021,
        Notes = "Oscillates without a limit: NaN at ±∞. Accurate for |x| ≤ 1e6 (VMath.Cos).",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => x * VMath.Cos(x);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s, c) = VMath.SinCos(x);
        return V.Fma(-x, s, c);
    }
    /// <inheritdoc/>
    public double Reference(double x) => x * Math.Cos(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Cos(x) - x * Math.Sin(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => -2 * Math.Sin(x) - x * Math.Cos(x);
}
