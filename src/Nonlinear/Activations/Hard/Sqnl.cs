using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &gt; 2 ? 1 : x &lt; −2 ? −1 : x − x·|x|/4; f′ = |x| &lt; 2 ? 1 − |x|/2 : 0. Wuraola and Patel, "SQNL: A New
/// Computationally Efficient Activation Function", 2018.
/// </summary>
internal readonly struct Sqnl : IActivationKernel, IReferenceSecondDerivative<Sqnl>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Sqnl>(new ActivationInfo
    {
        Name = "sqnl", Aliases = ["square_nonlinearity"], Family = "hard",
        Formula = "x > 2 ? 1 : x < −2 ? −1 : x − x·|x|/4",
        Derivative = "|x| < 2 ? 1 − |x|/2 : 0",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "SQNL: A New Computationally Efficient Activation Function", Year = 2018,
        Notes = "A piecewise-quadratic tanh substitute; C¹ (f′ → 0 at ±2, f′(0) = 1 from both sides). One fused multiply-add: exact products by 1/4.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Min(V.Max(x, V.Create(-2f)), V.Create(2f));
        return V.Fma(a * V.Create(-0.25f), V.Abs(a), a);
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Max(V.Create(1f) - V.Abs(x) * V.Create(0.5f), V.Create(0f));
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double a = Math.Min(Math.Max(x, -2), 2);
        return a - a * Math.Abs(a) / 4;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => Math.Abs(x) < 2 ? 1 - Math.Abs(x) / 2 : 0;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > 0 && x < 2 ? -0.5 : x < 0 && x > -2 ? 0.5 : 0;
}
