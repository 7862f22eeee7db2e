namespace Nonlinear.Kernels;

/// <summary>An elementwise function of two inputs, written once for every register width.</summary>
internal interface IBinaryKernel
{
    /// <summary>f(a, b) lane-wise.</summary>
    V Apply<V>(V a, V b) where V : struct, ISimdVec<V>;
}

/// <summary>a + b.</summary>
internal readonly struct AddKernel : IBinaryKernel
{
    /// <inheritdoc/>
    public V Apply<V>(V a, V b) where V : struct, ISimdVec<V> => a + b;
}

/// <summary>a - b.</summary>
internal readonly struct SubKernel : IBinaryKernel
{
    /// <inheritdoc/>
    public V Apply<V>(V a, V b) where V : struct, ISimdVec<V> => a - b;
}

/// <summary>a · b.</summary>
internal readonly struct MulKernel : IBinaryKernel
{
    /// <inheritdoc/>
    public V Apply<V>(V a, V b) where V : struct, ISimdVec<V> => a * b;
}

/// <summary>a / b.</summary>
internal readonly struct DivKernel : IBinaryKernel
{
    /// <inheritdoc/>
    public V Apply<V>(V a, V b) where V : struct, ISimdVec<V> => a / b;
}
