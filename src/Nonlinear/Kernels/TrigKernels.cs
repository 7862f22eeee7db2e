namespace Nonlinear.Kernels;

/// <summary>sin x (<see cref="VMath.Sin{V}"/>); derivative cos x (from the saved input).</summary>
internal readonly struct SinKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Sin(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => VMath.Cos(x);
}

/// <summary>cos x (<see cref="VMath.Cos{V}"/>); derivative −sin x (from the saved input).</summary>
internal readonly struct CosKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Cos(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => -VMath.Sin(x);
}

/// <summary>atan x (<see cref="VMath.Atan{V}"/>); derivative 1/(1 + x²) (from the saved input; 0 at ±∞).</summary>
internal readonly struct AtanKernel : IDifferentiableKernel
{
    /// <inheritdoc/>
    public V Forward<V>(V x) where V : struct, ISimdVec<V> => VMath.Atan(x);
    /// <inheritdoc/>
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> => V.Create(1f) / V.Fma(x, x, V.Create(1f));
}
