using System.Numerics;
using System.Runtime.InteropServices;
using Nonlinear.Kernels;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// The few dense primitives the SAE kernels need, generic over float (the training path, through the library's
/// SGEMM and SIMD vectors) and double (the finite-difference checks run the very same SAE code in double).
/// </summary>
internal static class SaeLinalg
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C, row-major (torch.addmm); see <see cref="Gemm.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>.</summary>
    public static void Mm<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Sgemm(transA, transB, m, n, k, float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), ldc);
            return;
        }
        // Double is for the gradient checks only (small sizes): the plain triple loop is the reference.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T acc = T.Zero;
                for (int p = 0; p < k; p++)
                    acc += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = alpha * acc + (beta == T.Zero ? T.Zero : beta * c[i * ldc + j]);
            }
    }

    /// <summary>Σ a_i b_i.</summary>
    public static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
                acc += new Vector<T>(a[i..]) * new Vector<T>(b[i..]);
            sum = Vector.Sum(acc);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y += alpha·x.</summary>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var va = new Vector<T>(alpha);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(y[i..]) + va * new Vector<T>(x[i..])).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>out_j += scale·Σ_rows m[r, j] (column sums of a row-major rows×cols block).</summary>
    public static void AddColumnSums<T>(ReadOnlySpan<T> m, int rows, int cols, T scale, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) Axpy(scale, m.Slice(r * cols, cols), output);
    }

    /// <summary>Row chunks of <see cref="RowChunksWithColumnSums{T}"/>: fixed, not tied to the thread count, so sums add in the same order on any machine.</summary>
    public const int SumChunks = 16;

    /// <summary>
    /// Runs <paramref name="body"/>(lo, hi, partial) over the rows [0, n) in <see cref="SumChunks"/> contiguous chunks on
    /// the worker pool, each with its own zeroed partial[m] to accumulate column sums into; then adds the partials to
    /// <paramref name="output"/> in chunk order (deterministic whatever the thread count). One pass over an [n, m]
    /// matrix can so compute an elementwise result and its column sums together, instead of re-reading it.
    /// </summary>
    public static void RowChunksWithColumnSums<T>(int n, int m, T[] output, Action<int, int, T[]> body) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = Math.Max(1, Math.Min(n, SumChunks));
        var partials = new T[chunks][];
        Parallelism.For(chunks, c =>
        {
            var partial = partials[c] = new T[m];
            body((int)((long)n * c / chunks), (int)((long)n * (c + 1) / chunks), partial);
        });
        foreach (var partial in partials) Axpy(T.One, partial, output.AsSpan(0, m));
    }

    /// <summary>Σ_i 1[v_i &gt; 0] (vectorised; exact since a lane counts at most 2²⁴ in float).</summary>
    public static int CountPositive<T>(ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, count = 0;
        if (Vector.IsHardwareAccelerated && v.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            for (; i <= v.Length - Vector<T>.Count; i += Vector<T>.Count)
                acc += Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(v[i..]), Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
            count = int.CreateTruncating(Vector.Sum(acc));
        }
        for (; i < v.Length; i++) if (v[i] > T.Zero) count++;
        return count;
    }

    /// <summary>y = max(x, 0) (ReLU; NaN maps to 0 as <c>x &gt; 0 ? x : 0</c> does).</summary>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(x[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), v, Vector<T>.Zero).CopyTo(y[i..]);
            }
        for (; i < x.Length; i++) y[i] = x[i] > T.Zero ? x[i] : T.Zero;
    }

    /// <summary>d_i = active_i &gt; 0 ? d_i + add_i : 0 (a ReLU-like backward with a per-column term).</summary>
    public static void AddWhereActive<T>(Span<T> d, ReadOnlySpan<T> add, ReadOnlySpan<T> active) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && d.Length >= Vector<T>.Count)
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var on = Vector.GreaterThan(new Vector<T>(active[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(on, new Vector<T>(d[i..]) + new Vector<T>(add[i..]), Vector<T>.Zero).CopyTo(d[i..]);
            }
        for (; i < d.Length; i++) d[i] = active[i] > T.Zero ? d[i] + add[i] : T.Zero;
    }

    /// <summary>d_i = active_i ≠ 0 ? d_i : 0.</summary>
    public static void KeepWhereActive<T>(Span<T> d, ReadOnlySpan<T> active) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && d.Length >= Vector<T>.Count)
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var off = Vector.Equals(new Vector<T>(active[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(off, Vector<T>.Zero, new Vector<T>(d[i..])).CopyTo(d[i..]);
            }
        for (; i < d.Length; i++) if (active[i] == T.Zero) d[i] = T.Zero;
    }

    /// <summary>Runs <paramref name="body"/>(lo, hi) over [0, count) in a few contiguous chunks on the worker pool.</summary>
    public static void ParallelRanges(int count, Action<int, int> body)
    {
        int chunks = Math.Min(count, Math.Max(1, Parallelism.MaxThreads) * 4);
        if (chunks <= 1) { if (count > 0) body(0, count); return; }
        Parallelism.For(chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }
}
