using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = min(max(0, x), 6); f′ = 1 for 0 &lt; x &lt; 6, else 0 (0 at both kinks, as PyTorch). NaN propagates.
/// Equivalent to torch.nn.ReLU6. Krizhevsky, "Convolutional Deep Belief Networks on CIFAR-10", 2010.
/// </summary>
internal readonly struct Relu6 : IActivationKernel, ISecondDerivative<Relu6>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Relu6>(new()
    {
        Name = "relu6", Family = "relu",
        Formula = "min(max(0, x), 6)", Derivative = "0 < y < 6 ? 1 : 0",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Output, Kinks = [0, 6],
        Paper = "Convolutional Deep Belief Networks on CIFAR-10", Year = 2010,
        Notes = "f′(0) = f′(6) = 0, as PyTorch (hardtanh backward) and JAX. 0 < y < 6 exactly when 0 < x < 6, so backward reads only y.",
        PyTorch = "torch.nn.ReLU6",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => V.Min(V.Max(x, V.Create(0f)), V.Create(6f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(y, V.Create(0f)) & V.LessThan(y, V.Create(6f)) & V.Create(1f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Min(Math.Max(x, 0), 6);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 && x < 6 ? 1 : 0;

    /// <summary>f″ = 0 on every piece (piecewise linear; the kinks contribute nothing, as in PyTorch's double backward).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(0f);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => 0;
}
