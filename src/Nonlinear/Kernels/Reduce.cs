using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nonlinear.Kernels;

/// <summary>
/// Span reductions with a fixed summation order: element i of each whole block of 16 goes to partial sum
/// i mod 16 whatever the register width, the 16 partials are combined by a fixed pairwise tree, and the
/// tail (n mod 16 elements) is added last in order. So every SIMD tier gives the same bits. Never allocates.
/// </summary>
internal static class Reduce
{
    /// <summary>Σ x[i] (0 for an empty span).</summary>
    public static float Sum(ReadOnlySpan<float> x, SimdTier tier = SimdTier.Auto) => Simd.Resolve(tier) switch
    {
        SimdTier.Vec512 => SumCore<Vec512>(x),
        SimdTier.Vec256 => SumCore<Vec256>(x),
        SimdTier.Vec128 => SumCore<Vec128>(x),
        _ => SumCore<Scalar>(x),
    };

    /// <summary>acc[i] += x[i] (the column sums of a row-major matrix are one call per row: deterministic order).</summary>
    public static void AddInto(Span<float> acc, ReadOnlySpan<float> x) => BinaryDriver.Apply(new AddKernel(), acc, x, acc);

    /// <summary>Largest element; NaN if any element is NaN (IEEE 754:2019 maximum, as torch.max); −∞ for empty.</summary>
    public static float Max(ReadOnlySpan<float> x, SimdTier tier = SimdTier.Auto) => Simd.Resolve(tier) switch
    {
        SimdTier.Vec512 => MaxCore<Vec512>(x),
        SimdTier.Vec256 => MaxCore<Vec256>(x),
        SimdTier.Vec128 => MaxCore<Vec128>(x),
        _ => MaxCore<Scalar>(x),
    };

    /// <summary>Index of the largest element; the first on ties; the first NaN if any (NaN propagates as in torch.max). −1 for empty.</summary>
    public static int ArgMax(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) return -1;
        float m = Max(x);
        if (!float.IsNaN(m)) return x.IndexOf(m);
        for (int i = 0; ; i++) if (float.IsNaN(x[i])) return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float MaxCore<V>(ReadOnlySpan<float> x) where V : struct, ISimdVec<V>
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, w = V.Count, i = 0;
        float m = float.NegativeInfinity;
        if (n >= 2 * w)
        {
            // Max is exact and order-free, so any split gives the same value on every tier.
            V a = V.Load(ref r), b = V.Load(ref Unsafe.Add(ref r, w));
            for (i = 2 * w; i <= n - 2 * w; i += 2 * w)
            {
                a = V.Max(a, V.Load(ref Unsafe.Add(ref r, i)));
                b = V.Max(b, V.Load(ref Unsafe.Add(ref r, i + w)));
            }
            Span<float> lanes = stackalloc float[w];
            V.Store(V.Max(a, b), ref lanes[0]);
            foreach (float v in lanes) m = MathF.Max(m, v);
        }
        for (; i < n; i++) m = MathF.Max(m, Unsafe.Add(ref r, i));
        return m;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float SumCore<V>(ReadOnlySpan<float> x) where V : struct, ISimdVec<V>
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, blocks = n & ~15, i = 0;
        Span<float> p = stackalloc float[16];
        // V.Count is a JIT-time constant, so only one branch survives per width.
        if (V.Count == 16)
        {
            V a = V.Create(0f);
            for (; i < blocks; i += 16) a += V.Load(ref Unsafe.Add(ref r, i));
            V.Store(a, ref p[0]);
        }
        else if (V.Count == 8)
        {
            V a = V.Create(0f), b = a;
            for (; i < blocks; i += 16) { a += V.Load(ref Unsafe.Add(ref r, i)); b += V.Load(ref Unsafe.Add(ref r, i + 8)); }
            V.Store(a, ref p[0]); V.Store(b, ref p[8]);
        }
        else if (V.Count == 4)
        {
            V a = V.Create(0f), b = a, c = a, d = a;
            for (; i < blocks; i += 16)
            {
                a += V.Load(ref Unsafe.Add(ref r, i)); b += V.Load(ref Unsafe.Add(ref r, i + 4));
                c += V.Load(ref Unsafe.Add(ref r, i + 8)); d += V.Load(ref Unsafe.Add(ref r, i + 12));
            }
            V.Store(a, ref p[0]); V.Store(b, ref p[4]); V.Store(c, ref p[8]); V.Store(d, ref p[12]);
        }
        else
        {
            p.Clear();
            for (; i < blocks; i++) p[i & 15] += Unsafe.Add(ref r, i);
        }
        for (int w = 8; w >= 1; w >>= 1)
            for (int j = 0; j < w; j++) p[j] += p[j + w];
        float s = p[0];
        for (i = blocks; i < n; i++) s += Unsafe.Add(ref r, i);
        return s;
    }
}
