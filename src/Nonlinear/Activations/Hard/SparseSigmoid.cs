using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = min(max((x + 1)/2, 0), 1); f′ = −1 &lt; x &lt; 1 ? 1/2 : 0. Blondel, Martins and Niculae, "Learning with
/// Fenchel-Young Losses", 2020.
/// </summary>
internal readonly struct SparseSigmoid : IActivationKernel, IPiecewiseLinear<SparseSigmoid>
{

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Fixed<SparseSigmoid>(new ActivationInfo
    {
        Name = "sparse_sigmoid", Aliases = ["hard_sigmoid_binaryconnect"], Family = "hard",
        Formula = "min(max((x + 1)/2, 0), 1)",
        Derivative = "−1 < x < 1 ? 1/2 : 0",
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [-1.0, 1.0],
        Paper = "Learning with Fenchel-Young Losses", Year = 2020,
        Notes = "jax.nn.sparse_sigmoid; also BinaryConnect's hard sigmoid (Courbariaux, Bengio and David, 2015). The derivative of sparse_plus. f′ = 0 at ±1.",
    });

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> =>
        V.Min(V.Max((x + V.Create(1f)) * V.Create(0.5f), V.Create(0f)), V.Create(1f));
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.GreaterThan(x, V.Create(-1f)) & V.LessThan(x, V.Create(1f)) & V.Create(0.5f);
    /// <inheritdoc/>
    public double Reference(double x) => Math.Min(Math.Max((x + 1) / 2, 0), 1);
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => x > -1 && x < 1 ? 0.5 : 0;
}
