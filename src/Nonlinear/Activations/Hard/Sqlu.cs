using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x &gt; 0 ? x : x &lt; −2 ? −1 : x + x²/4; f′ = x &gt; 0 ? 1 : x &lt; −2 ? 0 : 1 + x/2. Wuraola, Patel and
/// Nguang, "Efficient activation functions for embedded inference engines", 2021.
/// </summary>
internal readonly struct Sqlu : IActivationKernel, IReferenceSecondDerivative<Sqlu>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<Sqlu>(new ActivationInfo
    {
        Name = "sqlu", Aliases = ["square_linear_unit"], Family = "hard",
        Formula = "x > 0 ? x : x < −2 ? −1 : x + x²/4",
        Derivative = "x > 0 ? 1 : x < −2 ? 0 : 1 + x/2",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.ZeroCentred,
        Uses = BackwardUses.Input,
        Paper = "Efficient activation functions for embedded inference engines", Year = 2021,
        Notes = "An ELU substitute built from one square: C¹ (f′(0) = 1, f′(−2) = 0 from both sides).",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V a = V.Max(x, V.Create(-2f));
        return V.Select(V.GreaterThan(x, V.Create(0f)), x, V.Fma(a * V.Create(0.25f), a, a));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), V.Create(1f), V.Max(V.Fma(x, V.Create(0.5f), V.Create(1f)), V.Create(0f)));
    /// <inheritdoc/>
    public double Reference(double x)
    {
        if (x > 0) return x;
        double a = Math.Max(x, -2);
        return a + a * a / 4;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > 0 ? 1 : x < -2 ? 0 : 1 + x / 2;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > -2 && x < 0 ? 0.5 : 0;
}
