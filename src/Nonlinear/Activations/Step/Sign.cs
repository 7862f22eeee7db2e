using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &gt; 0 ? 1 : x &lt; 0 ? −1 : x; f′ = 0 (a Dirac mass at 0, not representable). Equivalent to torch.sign.
/// </summary>
internal readonly struct Sign : IActivationKernel, IPiecewiseLinear<Sign>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Sign>(new ActivationInfo
    {
        Name = "sign", Aliases = ["signum"], Family = "step",
        Formula = "x > 0 ? 1 : x < 0 ? −1 : x",
        Derivative = "0 (a Dirac mass at 0, not representable)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Notes = "sign(±0) = ±0 (the input zero is returned). The derivative is 0 where it exists; sign_ste is the trainable form.",
        PyTorch = "torch.sign",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Select(V.LessThan(x, V.Create(0f)), V.Create(-1f), x));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(0f);
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? 1 : x < 0 ? -1 : x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 0;
}
