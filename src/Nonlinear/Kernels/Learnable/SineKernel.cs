using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// SIREN's activation y = sin(ω₀·z); ∂y/∂z = ω₀·cos(ω₀·z) (backward reads z). One pass each way through
/// <see cref="UnaryDriver"/>. Sitzmann et al., "Implicit Neural Representations with Periodic Activation Functions", 2020.
/// </summary>
internal readonly struct SineKernel(float omega0) : IDifferentiableKernel
{
    private readonly float _omega0 = omega0;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Sin(V.Create(_omega0) * x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(_omega0) * VMath.Cos(V.Create(_omega0) * x);
}
