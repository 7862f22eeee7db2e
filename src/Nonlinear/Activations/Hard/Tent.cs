using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, 1 − |x|); f′ = |x| &lt; 1 ? −sign(x) : 0 (0 at x = 0).
/// </summary>
internal readonly struct Tent : IActivationKernel, IPiecewiseLinear<Tent>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Tent>(new ActivationInfo
    {
        Name = "tent", Aliases = ["triangular", "tribas"], Family = "hard",
        Formula = "max(0, 1 − |x|)",
        Derivative = "|x| < 1 ? −sign(x) : 0 (0 at x = 0)",
        Properties = ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [-1.0, 0.0, 1.0],
        Notes = "The triangular (hat) bump: MATLAB tribas, the linear B-spline. No paper of its own. f′ = 0 at the peak and at ±1.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Max(V.Create(1f) - V.Abs(x), V.Create(0f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V inside = V.LessThan(V.Abs(x), V.Create(1f));
        return inside & ((V.GreaterThan(x, V.Create(0f)) & V.Create(-1f)) | (V.LessThan(x, V.Create(0f)) & V.Create(1f)));
    }
    /// <inheritdoc/>
    public double Reference(double x) => Math.Max(1 - Math.Abs(x), 0);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) < 1 ? (x > 0 ? -1 : x < 0 ? 1 : 0) : 0;
}
