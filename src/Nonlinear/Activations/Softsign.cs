using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x/(1 + |x|); f′ = 1/(1 + |x|)². Equivalent to torch.nn.Softsign.
/// Turian, Bergstra and Bengio, "Quadratic Features and Deep Architectures for Chunking", 2009.
/// </summary>
internal readonly struct Softsign : IActivationKernel, IReferenceSecondDerivative<Softsign>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Softsign>(new()
    {
        Name = "softsign", Family = "sigmoid",
        Formula = "x / (1 + |x|)", Derivative = "1 / (1 + |x|)²",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove
                   | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Quadratic Features and Deep Architectures for Chunking", Year = 2009,
        Notes = "Backward reads x: (1 − |y|)² would cancel as |y| → 1. softsign(±∞) = ±1 (∞/∞ handled).",
        PyTorch = "torch.nn.Softsign",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = x / (V.Create(1f) + V.Abs(x));
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(1f) | (x & V.Create(-0f)), y);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        V d = V.Create(1f) + V.Abs(x);
        return V.Create(1f) / (d * d);
    }
    /// <inheritdoc/>
    public double Reference(double x) => double.IsInfinity(x) ? Math.Sign(x) : x / (1 + Math.Abs(x));
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 1 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x)));
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x)
    {
        double r = 1 / (1 + Math.Abs(x)), d = -2 * r * r * r;
        return x > 0 ? d : x < 0 ? -d : 0 * x;
    }
}
