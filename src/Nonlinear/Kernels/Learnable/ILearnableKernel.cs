using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels.Learnable;

/// <summary>
/// An elementwise activation y = f(x; θ) with P learnable parameters θ_0..θ_(P−1), written once for every
/// register width. Parameters reach the kernel as memory: parameter k for the lanes at hand starts at
/// <c>p + k·stride</c>, either replicated (one value for every lane) or one value per lane (per-channel
/// parameters of a channels-last tensor). The backward pass is one call per vector that returns dx and adds
/// dy·∂f/∂θ_k into <c>acc + k·accStride</c>, so a driver reduces all parameter gradients in the same pass.
/// </summary>
internal interface ILearnableKernel
{
    /// <summary>P, the number of parameters per channel.</summary>
    int ParameterCount { get; }

    /// <summary>f(x; θ) lane-wise.</summary>
    V Forward<V>(V x, ref float p, nint stride) where V : struct, ISimdVec<V>;

    /// <summary>Returns dy·∂f/∂x and adds dy·∂f/∂θ_k into acc[k·accStride] for every k.</summary>
    V Backward<V>(V x, V dy, ref float p, nint stride, ref float acc, nint accStride) where V : struct, ISimdVec<V>;

    /// <summary>f(x; θ) in double precision: the specification the float kernel is tested against.</summary>
    double Reference(double x, ReadOnlySpan<double> theta);

    /// <summary>∂f/∂x in double precision; writes ∂f/∂θ_k into <paramref name="dTheta"/>.</summary>
    double ReferenceGradient(double x, ReadOnlySpan<double> theta, Span<double> dTheta);
}

/// <summary>Small helpers shared by the learnable kernels.</summary>
internal static class LK
{
    /// <summary>Loads parameter k for the current lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V P<V>(ref float p, nint stride, int k) where V : struct, ISimdVec<V> =>
        V.Load(ref Unsafe.Add(ref p, stride * k));

    /// <summary>acc[k·stride] += v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<V>(ref float acc, nint stride, int k, V v) where V : struct, ISimdVec<V>
    {
        ref float a = ref Unsafe.Add(ref acc, stride * k);
        V.Store(V.Load(ref a) + v, ref a);
    }

    /// <summary>sign(v) with sign(0) = 0 and sign(NaN) = NaN-free 0 (torch.sign gives NaN; no lane here is NaN unless x is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sign<V>(V v) where V : struct, ISimdVec<V>
    {
        V zero = V.Create(0f);
        return V.Select(V.GreaterThan(v, zero), V.Create(1f), V.Select(V.LessThan(v, zero), V.Create(-1f), zero));
    }
}
