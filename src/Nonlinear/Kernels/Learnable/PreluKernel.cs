using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// PReLU: f(x; a) = x for x &gt; 0, a·x otherwise. ∂f/∂x = 1 for x &gt; 0, a otherwise (a at 0, as torch);
/// ∂f/∂a = 0 for x &gt; 0, x otherwise. One parameter: a. He et al., "Delving Deep into Rectifiers", 2015.
/// </summary>
internal readonly struct PreluKernel : ILearnableKernel
{
    /// <inheritdoc/>
    public int ParameterCount => 1;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V> =>
        V.Select(V.GreaterThan(x, V.Create(0f)), x, LK.P<V>(ref p, stride, 0) * x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public V Backward<V>(V x, V dy, ref float p, nint stride, ref float acc, nint accStride) where V : struct, ISimdVec<V>
    {
        V pos = V.GreaterThan(x, V.Create(0f));
        LK.Add(ref acc, accStride, 0, V.Select(pos, V.Create(0f), dy * x));
        return V.Select(pos, dy, dy * LK.P<V>(ref p, stride, 0));
    }

    /// <inheritdoc/>
    public double Reference(double x, ReadOnlySpan<double> theta) => x > 0 ? x : theta[0] * x;

    /// <inheritdoc/>
    public double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta)
    {
        dTheta[0] = x > 0 ? 0 : x;
        return x > 0 ? 1 : theta[0];
    }
}
