using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·min(max(x + 2, 0), 2)/2; f′ = x ≤ −2 ? 0 : x &lt; 0 ? x + 1 : 1.
/// </summary>
internal readonly struct HardMish : IActivationKernel, IReferenceSecondDerivative<HardMish>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<HardMish>(new ActivationInfo
    {
        Name = "hard_mish", Aliases = ["h_mish", "hardmish"], Family = "hard",
        Formula = "x·min(max(x + 2, 0), 2)/2",
        Derivative = "x ≤ −2 ? 0 : x < 0 ? x + 1 : 1",
        Properties = ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [-2.0],
        Year = 2020,
        Notes = "Misra's H-Mish (notes in the Mish repository, 2020; timm hard_mish); no paper. Quadratic x(x + 2)/2 on [−2, 0] with minimum −1/2 at x = −1, identity above, −0 below −2 (no ∞·0 at −∞). C¹ at 0; f′ jumps at −2 (f′(−2) = 0).",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V c = V.Min(V.Max(x + V.Create(2f), V.Create(0f)), V.Create(2f));
        return V.Select(V.LessThanOrEqual(x, V.Create(-2f)), V.Create(-0f), x * (c * V.Create(0.5f)));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThanOrEqual(x, V.Create(0f)), V.Create(1f), V.GreaterThan(x, V.Create(-2f)) & (x + V.Create(1f)));
    /// <inheritdoc/>
    public double Reference(double x) => x <= -2 ? -0.0 : x * (Math.Min(Math.Max(x + 2, 0), 2) * 0.5);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x >= 0 ? 1 : x > -2 ? x + 1 : 0;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > -2 && x < 0 ? 1 : 0;
}
