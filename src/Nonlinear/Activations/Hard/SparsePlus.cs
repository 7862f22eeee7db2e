using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≤ −1 ? 0 : x ≥ 1 ? x : (x + 1)²/4; f′ = x ≤ −1 ? 0 : x ≥ 1 ? 1 : (x + 1)/2. Blondel, Martins and Niculae,
/// "Learning with Fenchel-Young Losses", 2020.
/// </summary>
internal readonly struct SparsePlus : IActivationKernel, IReferenceSecondDerivative<SparsePlus>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<SparsePlus>(new ActivationInfo
    {
        Name = "sparse_plus", Family = "hard",
        Formula = "x ≤ −1 ? 0 : x ≥ 1 ? x : (x + 1)²/4",
        Derivative = "x ≤ −1 ? 0 : x ≥ 1 ? 1 : (x + 1)/2",
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "Learning with Fenchel-Young Losses", Year = 2020,
        Notes = "jax.nn.sparse_plus and keras.activations.sparse_plus; equals smelu(beta = 1). Its derivative is sparse_sigmoid. C¹.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V q = x + V.Create(1f);
        V quad = q * q * V.Create(0.25f);
        return V.Select(V.IsNaN(x), x, V.Select(V.GreaterThanOrEqual(x, V.Create(1f)), x, V.Select(V.LessThanOrEqual(x, V.Create(-1f)), V.Create(0f), quad)));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThanOrEqual(x, V.Create(1f)), V.Create(1f), V.Select(V.LessThanOrEqual(x, V.Create(-1f)), V.Create(0f), (x + V.Create(1f)) * V.Create(0.5f)));
    /// <inheritdoc/>
    public double Reference(double x) => double.IsNaN(x) ? x : x >= 1 ? x : x <= -1 ? 0 : (x + 1) * (x + 1) / 4;
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x >= 1 ? 1 : x <= -1 ? 0 : (x + 1) / 2;
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : Math.Abs(x) < 1 ? 0.5 : 0;
}
