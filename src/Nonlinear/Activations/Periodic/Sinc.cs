using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = sin(x)/x (1 at 0); f′ = (cos(x) − sin(x)/x)/x (0 at 0). torch.sinc is the normalised sin(πx)/(πx): this is torch.sinc(x/π).
/// </summary>
internal readonly struct Sinc : IActivationKernel, IReferenceSecondDerivative<Sinc>
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Sinc>(new()
    {
        Name = "sinc", Family = "periodic",
        Formula = "sin(x)/x",
        Derivative = "(cos(x) − sin(x)/x)/x",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Three Decades of Activations: A Comprehensive Survey of 400 Activation Functions for Neural Networks", Year = 2024,
        Notes = "sinc(±∞) = 0. f′ from its series below |x| = 0.5 (the difference cancels there). Accurate for |x| ≤ 1e6; beyond, |f| ≤ 1/|x| but the digits are not.",
        PyTorch = "torch.sinc(x/π)",
    });

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V y = VMath.Sin(x) / x;
        y = V.Select(V.Equals(x, V.Create(0f)), V.Create(1f), y);
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), y);
    }
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V>
    {
        var (s, c) = VMath.SinCos(x);
        V d = SmoothMath.SincPrime(x, s, c);
        return V.Select(V.Equals(V.Abs(x), V.Create(float.PositiveInfinity)), V.Create(0f), d);
    }
    /// <inheritdoc/>
    public double Reference(double x) => double.IsInfinity(x) ? 0 : SmoothMath.Sinc(x);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => double.IsInfinity(x) ? 0 : SmoothMath.SincPrime(x);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => SecondDerivativeMath.SincSecond(x);
}
