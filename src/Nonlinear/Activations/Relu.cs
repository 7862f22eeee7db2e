using Nonlinear.Tensors;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = max(0, x); f′ = 1 for x &gt; 0, else 0 (0 at the kink, as PyTorch). NaN propagates.
/// Equivalent to torch.nn.ReLU. Nair and Hinton, "Rectified Linear Units Improve Restricted Boltzmann Machines", 2010.
/// </summary>
internal readonly struct Relu : IActivationKernel, ISecondDerivative<Relu>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Relu>(new()
    {
        Name = "relu", Family = "relu",
        Formula = "max(0, x)", Derivative = "x > 0 ? 1 : 0",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Output, Kinks = [0],
        Paper = "Rectified Linear Units Improve Restricted Boltzmann Machines", Year = 2010,
        Notes = "f′(0) = 0, as in PyTorch, JAX and Keras.", PyTorch = "torch.nn.ReLU",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        // max(x, 0) with −0 → +0 and NaN kept, as a compare and a blend: the IEEE max costs 7 instructions on AVX2.
        V.Blend(V.LessThanOrEqual(x, V.Create(0f)), V.Create(0f), x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.GreaterThan(y, V.Create(0f)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : Math.Max(0, x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : 0;

    /// <summary>f″ = 0 (the kink at 0 contributes nothing, as in PyTorch's double backward).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => 0;
}
