using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = relu6(x + 3)/6 = min(max(x + 3, 0), 6)/6; f′ = 1/6 for −3 &lt; x &lt; 3, else 0. Equivalent to torch.nn.Hardsigmoid.
/// Howard et al., "Searching for MobileNetV3", 2019.
/// </summary>
internal readonly struct HardSigmoid : IActivationKernel, IPiecewiseLinear<HardSigmoid>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<HardSigmoid>(new()
    {
        Name = "hard_sigmoid", Aliases = ["hardsigmoid"], Family = "sigmoid",
        Formula = "min(max(x + 3, 0), 6) / 6", Derivative = "−3 < x < 3 ? 1/6 : 0",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [-3, 3],
        Paper = "Searching for MobileNetV3", Year = 2019,
        Notes = "PyTorch's and JAX's definition (relu6(x + 3)/6, slope 1/6). Keras 2 / TF ≤ 2.15 used clip(0.2x + 0.5, 0, 1) "
              + "(slope 0.2, saturating at ±2.5); Keras 3 switched to relu6(x + 3)/6. f′ = 0 at ±3, as PyTorch. "
              + "Computed with a true division by 6, as PyTorch, so values match it bit for bit.",
        PyTorch = "torch.nn.Hardsigmoid",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Min(V.Max(x + V.Create(3f), V.Create(0f)), V.Create(6f)) / V.Create(6f);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(-3f)) & V.LessThan(x, V.Create(3f)) & V.Create(1f / 6f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6; // x + 3 is exact for float x
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > -3 && x < 3 ? 1.0 / 6 : 0;
}
