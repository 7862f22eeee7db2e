using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = λ·(x for x &gt; 0, α·(eˣ − 1) otherwise) with α ≈ 1.6733, λ ≈ 1.0507; f′ = λ for x &gt; 0, λα·eˣ otherwise.
/// Equivalent to torch.nn.SELU. Klambauer et al., "Self-Normalizing Neural Networks", 2017.
/// </summary>
internal readonly struct Selu : IActivationKernel, ISecondDerivative<Selu>
{
    /// <summary>α of the paper (fixed point of the self-normalising map).</summary>
    public const double Alpha = 1.6732632423543772848170429916717;
    /// <summary>λ (scale) of the paper.</summary>
    public const double Scale = 1.0507009873554804934193349852946;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Selu>(new()
    {
        Name = "selu", Family = "exponential",
        Formula = "scale·(x > 0 ? x : alpha·(exp(x) − 1)), alpha = 1.6732632…, scale = 1.0507009…",
        Derivative = "x > 0 ? scale : scale·alpha·exp(x)",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input, Kinks = [0],
        Paper = "Self-Normalizing Neural Networks", Year = 2017,
        Notes = "f′(0) = scale·alpha ≈ 1.7581 (PyTorch's x ≤ 0 branch); the derivative jumps at 0. Constants as PyTorch/JAX/Keras. "
              + "expm1(min(x, 0)) keeps the positive side free of exp.",
        PyTorch = "torch.nn.SELU",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V neg = V.Create((float)(Scale * Alpha)) * VMath.Expm1(V.Min(x, V.Create(0f)));
        return V.Select(V.GreaterThan(x, V.Create(0f)), V.Create((float)Scale) * x, neg);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create((float)Scale), V.Create((float)(Scale * Alpha)) * VMath.Exp(V.Min(x, V.Create(0f))));
    /// <inheritdoc/>
    public double Reference(double x) => x > 0 ? Scale * x : Scale * Alpha * DoubleMath.Expm1(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => double.IsNaN(x) ? x : x > 0 ? Scale : Scale * Alpha * Math.Exp(x);

    /// <summary>f″ = scale·alpha·eˣ for x ≤ 0, 0 for x &gt; 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V SecondDerivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(0f), V.Create((float)(Scale * Alpha)) * VMath.Exp(V.Min(x, V.Create(0f))));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > 0 ? 0 : Scale * Alpha * Math.Exp(x);
}
