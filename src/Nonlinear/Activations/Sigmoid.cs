using Nonlinear.Tensors;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// σ(x) = 1/(1+e^−x), computed stably for both signs; σ′ = y(1−y) from the saved output.
/// Equivalent to torch.nn.Sigmoid.
/// </summary>
internal readonly struct Sigmoid : IActivationKernel, ISecondDerivative<Sigmoid>, IComposedDerivative
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Sigmoid>(new()
    {
        Name = "sigmoid", Aliases = ["logistic"], Family = "sigmoid",
        Formula = "1 / (1 + exp(-x))", Derivative = "y·(1 − y)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Output,
        PyTorch = "torch.nn.Sigmoid",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
        // e = exp(−|x|) never overflows; σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0.
        => VMath.Sigmoid(x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => y * (V.Create(1f) - y);
    /// <inheritdoc/>
    public double Reference(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Reference(x) * Reference(-x); // σ(−x) = 1 − σ(x) without cancellation

    /// <summary>f″ = y(1 − y)(1 − 2y).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> => y * (V.Create(1f) - y) * V.Fma(V.Create(-2f), y, V.Create(1f));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) { double s = Reference(x), sm = Reference(-x); return s * sm * (sm - s); }
    /// <inheritdoc/>
    public Tensor Derivative(Tensor x, Tensor y) => Ops.Mul(y, Ops.AddScalar(Ops.Neg(y), 1f));
}
