using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nonlinear.Kernels;

/// <summary>
/// Σᵢ dy[i]·∂f/∂θ_k(x[i]): the gradient of a loss with respect to one hyper-parameter of an elementwise function.
/// The products dy·∂f/∂θ are float lanes (bit-identical on every tier, like every kernel); they are summed in double in
/// a fixed order whatever the register width: element i of each whole block of 16 goes to double partial sum i mod 16,
/// the partials are combined by a fixed pairwise tree, and the tail (n mod 16 elements) is added last in order. So the
/// sum has the same bits on every SIMD tier. Single-threaded (the order must not depend on scheduling). Never allocates.
/// </summary>
internal static class ParameterDriver
{
    /// <summary>Σᵢ dy[i]·∂f/∂θ_<paramref name="index"/>(x[i], y[i]); 0 for empty spans. x, y and dy must have equal lengths.</summary>
    public static double Sum<K>(in K kernel, int index, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, SimdTier tier = SimdTier.Auto)
        where K : struct, IParametricKernel
    {
        if (x.Length != dy.Length) throw new ArgumentException($"x has length {x.Length}; expected {dy.Length} (dy's length).", nameof(x));
        if (y.Length != dy.Length) throw new ArgumentException($"y has length {y.Length}; expected {dy.Length} (dy's length).", nameof(y));
        return Simd.Resolve(tier) switch
        {
            SimdTier.Vec512 => SumCore<K, Vec512>(kernel, index, x, y, dy),
            SimdTier.Vec256 => SumCore<K, Vec256>(kernel, index, x, y, dy),
            SimdTier.Vec128 => SumCore<K, Vec128>(kernel, index, x, y, dy),
            _ => SumCore<K, Scalar>(kernel, index, x, y, dy),
        };
    }

    [InlineArray(16)]
    private struct Floats16 { private float _e; }

    [InlineArray(16)]
    private struct Doubles16 { private double _e; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumCore<K, V>(K k, int index, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy)
        where K : struct, IParametricKernel where V : struct, ISimdVec<V>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gs = ref MemoryMarshal.GetReference(dy);
        Floats16 prod = default;
        Doubles16 acc = default;
        int n = dy.Length, blocks = n & ~15, i = 0;
        for (; i < blocks; i += 16)
        {
            // V.Count divides 16 on every tier, so a block is whole vectors; the products land in the same slots on every tier.
            for (int j = 0; j < 16; j += V.Count)
            {
                V d = k.ParameterDerivative(V.Load(ref Unsafe.Add(ref xs, i + j)), V.Load(ref Unsafe.Add(ref ys, i + j)), index);
                V.Store(V.Load(ref Unsafe.Add(ref gs, i + j)) * d, ref prod[j]);
            }
            for (int j = 0; j < 16; j++) acc[j] += prod[j];
        }
        for (int w = 8; w >= 1; w >>= 1)
            for (int j = 0; j < w; j++) acc[j] += acc[j + w];
        double s = acc[0];
        for (; i < n; i++)
        {
            Scalar d = k.ParameterDerivative(new Scalar(Unsafe.Add(ref xs, i)), new Scalar(Unsafe.Add(ref ys, i)), index);
            s += Unsafe.Add(ref gs, i) * d.V;
        }
        return s;
    }
}
