using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>f(x) = x; f′ = 1. Equivalent to torch.nn.Identity.</summary>
internal readonly struct Identity : IActivationKernel, ISecondDerivative<Identity>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Identity>(new()
    {
        Name = "identity", Aliases = ["linear", "none"], Family = "identity",
        Formula = "x", Derivative = "1",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.ZeroCentred | ActivationProperties.PositivelyHomogeneous,
        PyTorch = "torch.nn.Identity",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => x;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => x;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1.0;

    /// <summary>f″ = 0 on every piece (linear; the kinks contribute nothing, as in PyTorch's double backward).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => 0;
}
