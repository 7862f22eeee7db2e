using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·relu6(x + 3)/6; f′ = 0 for x &lt; −3, x/3 + ½ for −3 ≤ x ≤ 3, 1 above. Equivalent to torch.nn.Hardswish.
/// Howard et al., "Searching for MobileNetV3", 2019.
/// </summary>
internal readonly struct HardSwish : IActivationKernel, IReferenceSecondDerivative<HardSwish>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<HardSwish>(new()
    {
        Name = "hard_swish", Aliases = ["hardswish", "hard_silu"], Family = "gated",
        Formula = "x·min(max(x + 3, 0), 6) / 6", Derivative = "x < −3 ? 0 : x ≤ 3 ? x/3 + 1/2 : 1",
        Properties = ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input, Kinks = [-3, 3],
        Paper = "Searching for MobileNetV3", Year = 2019,
        Notes = "f′(−3) = −1/2 and f′(3) = 3/2 (PyTorch's inclusive middle branch; the one-sided limits are 0/−1/2 and 3/2/1). "
              + "Computed as (x·clamp(x + 3, 0, 6))/6 in PyTorch's order on (−3, 3), so values match it bit for bit there; x itself for x ≥ 3 (PyTorch overflows to ∞ near float.MaxValue). jax.nn.hard_swish is the same function.",
        PyTorch = "torch.nn.Hardswish",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x * V.Min(V.Max(x + V.Create(3f), V.Create(0f)), V.Create(6f)) / V.Create(6f);
        // For x ≤ −3 the product is x·0 = −0, except −∞·0 = NaN; the limit there is −0 too. For x ≥ 3 the value is x
        // exactly (x·6 would overflow near float.MaxValue).
        y = V.Select(V.GreaterThanOrEqual(x, V.Create(3f)), x, y);
        return V.Select(V.LessThanOrEqual(x, V.Create(-3f)), V.Create(-0f), y);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V mid = x / V.Create(3f) + V.Create(0.5f);
        V d = V.Select(V.GreaterThan(x, V.Create(3f)), V.Create(1f), mid);
        return V.Select(V.LessThan(x, V.Create(-3f)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x <= -3 ? -0.0 : x >= 3 ? x : x * (x + 3) / 6;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => double.IsNaN(x) ? x : x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > -3 && x < 3 ? 1.0 / 3 : 0;
}
