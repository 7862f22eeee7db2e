using Nonlinear.Tensors;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = tanh(x); f′ = 1 − y² from the saved output. Equivalent to torch.nn.Tanh.
/// </summary>
internal readonly struct Tanh : IActivationKernel, ISecondDerivative<Tanh>, IComposedDerivative
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Tanh>(new()
    {
        Name = "tanh", Family = "sigmoid",
        Formula = "(exp(x) − exp(−x)) / (exp(x) + exp(−x))", Derivative = "1 − y²",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove
                   | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Output,
        Notes = "Our own tanh (VMath.Tanh: odd polynomial near 0, 1 − 2/(e^(2|x|) + 1) beyond; within 2 ulp): odd, exactly ±1 from |x| ≈ 9. Backward is 1 − y² as in "
              + "PyTorch, so in saturation it is limited by y's rounding (absolute error ~1e-7, not relative).",
        PyTorch = "torch.nn.Tanh",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.TanhInline(x);
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Fma(-y, y, V.Create(1f));
    /// <inheritdoc/>
    public double Reference(double x) => Math.Tanh(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) { double c = Math.Cosh(x); return 1 / (c * c); }

    /// <summary>f″ = −2y(1 − y²).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(-2f) * y * V.Fma(-y, y, V.Create(1f));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) { double t = Math.Tanh(x), c = Math.Cosh(x); return double.IsInfinity(x) ? 0 : -2 * t / (c * c); }
    /// <inheritdoc/>
    public Tensor Derivative(Tensor x, Tensor y) => Ops.AddScalar(Ops.Neg(Ops.Mul(y, y)), 1f);
}
