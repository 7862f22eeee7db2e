using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Nonlinear.Kernels;

namespace Nonlinear.Layers;

/// <summary>
/// The row loops of <see cref="LayerNorm"/>: statistics and the input gradient per row (rows split across threads),
/// the parameter gradients per column (columns split across threads), so every sum keeps one fixed order and the
/// result does not depend on the thread count. Statistics accumulate in double.
/// </summary>
internal static class LayerNormKernels
{
    // Below this many elements a call runs on the calling thread.
    private const int ParallelThreshold = 1 << 15;

    /// <summary>y = (x − μ)·r·γ + β per row of x [rows, n]; writes μ and r = 1/√(σ² + ε) per row.</summary>
    /// <remarks>Memory rather than pinned pointers: a GC during the call (the closure allocates) can still move and
    /// compact the multi-MiB operands; pinning them measurably slowed the whole step (fresh pages, page faults).</remarks>
    public static void Forward(ReadOnlyMemory<float> x, int n, float eps, ReadOnlyMemory<float> w, ReadOnlyMemory<float> b,
        Memory<float> y, float[] mean, float[] rstd)
    {
        Split(mean.Length, n, (r0, r1) =>
        {
            ReadOnlySpan<float> xs = x.Span, ws = w.Span, bs = b.Span;
            var ys = y.Span;
            for (int r = r0; r < r1; r++)
            {
                var row = xs.Slice(r * n, n);
                (mean[r], rstd[r]) = Stats(row, eps);
                NormalizeRow(row, mean[r], rstd[r], ws, bs, ys.Slice(r * n, n));
            }
        });
    }

    /// <summary>
    /// dx = r·(h − mean(h) − x̂·mean(h·x̂)) per row with x̂ = (x − μ)·r and h = dy·γ; dγ = Σ_rows dy·x̂, dβ = Σ_rows dy
    /// (summed over rows in order, in double; pass empty dw/db to skip them).
    /// </summary>
    public static void Backward(ReadOnlyMemory<float> x, ReadOnlyMemory<float> g, int n, ReadOnlyMemory<float> w,
        float[] mean, float[] rstd, Memory<float> dx, double[] dw, double[] db)
    {
        int rows = mean.Length;
        Split(rows, n, (r0, r1) =>
        {
            ReadOnlySpan<float> xs = x.Span, gs = g.Span, ws = w.Span;
            var ds = dx.Span;
            for (int r = r0; r < r1; r++)
                InputGradRow(xs.Slice(r * n, n), gs.Slice(r * n, n), ws, mean[r], rstd[r], ds.Slice(r * n, n));
        });
        if (dw.Length == 0) return;
        // Columns split across threads: each column sums over the rows in order, as a single thread would.
        Split(n, rows, (i0, i1) =>
        {
            ReadOnlySpan<float> xs = x.Span, gs = g.Span;
            for (int r = 0; r < rows; r++)
                ParamGradRow(xs.Slice(r * n + i0, i1 - i0), gs.Slice(r * n + i0, i1 - i0), mean[r], rstd[r],
                    dw.AsSpan(i0, i1 - i0), db.AsSpan(i0, i1 - i0));
        });
    }

    // dγ += dy·x̂, dβ += dy for one row's columns, eight columns at a time in double lanes. Each lane does what the scalar
    // tail does (float x − μ, then double products and sums), so the bits do not depend on the vector path; the scalar
    // loop it replaces took ~2 % of a training step.
    private static void ParamGradRow(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float mean, float rstd, Span<double> dw, Span<double> db)
    {
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x), pg = ref MemoryMarshal.GetReference(g);
        ref double pw = ref MemoryMarshal.GetReference(dw), pb = ref MemoryMarshal.GetReference(db);
        var vm = Vector256.Create(mean);
        var vr = Vector256.Create((double)rstd);
        for (; i <= n - 8; i += 8)
        {
            var c = Vector256.LoadUnsafe(ref px, (nuint)i) - vm;
            var gv = Vector256.LoadUnsafe(ref pg, (nuint)i);
            Vector256<double> gl = Vector256.WidenLower(gv), gu = Vector256.WidenUpper(gv);
            (Vector256.LoadUnsafe(ref pw, (nuint)i) + gl * (Vector256.WidenLower(c) * vr)).StoreUnsafe(ref pw, (nuint)i);
            (Vector256.LoadUnsafe(ref pw, (nuint)(i + 4)) + gu * (Vector256.WidenUpper(c) * vr)).StoreUnsafe(ref pw, (nuint)(i + 4));
            (Vector256.LoadUnsafe(ref pb, (nuint)i) + gl).StoreUnsafe(ref pb, (nuint)i);
            (Vector256.LoadUnsafe(ref pb, (nuint)(i + 4)) + gu).StoreUnsafe(ref pb, (nuint)(i + 4));
        }
        for (; i < n; i++)
        {
            double xh = (Unsafe.Add(ref px, i) - mean) * (double)rstd;
            Unsafe.Add(ref pw, i) += Unsafe.Add(ref pg, i) * xh;
            Unsafe.Add(ref pb, i) += Unsafe.Add(ref pg, i);
        }
    }

    // Fixed chunking (sizes and MaxThreads only), no reduction across chunks: the split never changes a bit.
    private static void Split(int count, int width, Action<int, int> body)
    {
        int threads = Parallelism.MaxThreads;
        if (threads == 1 || (long)count * width < ParallelThreshold || count < 2) { body(0, count); return; }
        int chunks = Math.Min(count, threads * 4);
        Parallelism.For(chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }

    // μ and 1/√(σ² + ε) of one row: two passes in double (the centred pass keeps σ² accurate for large means). Eight
    // partial sums per pass (element i to partial i mod 8 in two double vectors, combined by a fixed tree, tail last):
    // one running sum is a chain of dependent adds that took 80% of the layer's time. Vector256<double> because the
    // float-only ISimdVec has no double lanes; its software fallback does the same per-lane IEEE operations, so the
    // bits do not depend on the hardware either.
    private static (float Mean, float Rstd) Stats(ReadOnlySpan<float> row, float eps)
    {
        int n = row.Length;
        ref float p = ref MemoryMarshal.GetReference(row);
        double s = 0;
        int i = 0;
        {
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)i);
                a0 += Vector256.WidenLower(v);
                a1 += Vector256.WidenUpper(v);
            }
            s = Combine(a0 + a1);
            for (; i < n; i++) s += Unsafe.Add(ref p, i);
        }
        double mu = s / n, ss;
        {
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero, m = Vector256.Create(mu);
            for (i = 0; i <= n - 8; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)i);
                var d0 = Vector256.WidenLower(v) - m;
                var d1 = Vector256.WidenUpper(v) - m;
                a0 += d0 * d0;
                a1 += d1 * d1;
            }
            ss = Combine(a0 + a1);
            for (; i < n; i++) { double d = Unsafe.Add(ref p, i) - mu; ss += d * d; }
        }
        return ((float)mu, (float)(1 / Math.Sqrt(ss / n + eps)));
    }

    private static double Combine(Vector256<double> a) => (a.GetElement(0) + a.GetElement(1)) + (a.GetElement(2) + a.GetElement(3));

    // y = (x − μ)·r, then ·γ + β: separate multiply and add (no FMA), so every tier rounds alike.
    private static void NormalizeRow(ReadOnlySpan<float> x, float mean, float rstd, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (Simd.Best)
        {
            case SimdTier.Vec512: NormalizeCore<Vec512>(x, mean, rstd, w, b, y); break;
            case SimdTier.Vec256: NormalizeCore<Vec256>(x, mean, rstd, w, b, y); break;
            case SimdTier.Vec128: NormalizeCore<Vec128>(x, mean, rstd, w, b, y); break;
            default: NormalizeCore<Scalar>(x, mean, rstd, w, b, y); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NormalizeCore<V>(ReadOnlySpan<float> x, float mean, float rstd, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y)
        where V : unmanaged, ISimdVec<V>
    {
        int n = x.Length, i = 0;
        ref float px = ref MemoryMarshal.GetReference(x), py = ref MemoryMarshal.GetReference(y);
        V m = V.Create(mean), r = V.Create(rstd);
        if (w.IsEmpty)
        {
            for (; i <= n - V.Count; i += V.Count) V.Store((V.Load(ref Unsafe.Add(ref px, i)) - m) * r, ref Unsafe.Add(ref py, i));
            for (; i < n; i++) Unsafe.Add(ref py, i) = (Unsafe.Add(ref px, i) - mean) * rstd;
            return;
        }
        ref float pw = ref MemoryMarshal.GetReference(w), pb = ref MemoryMarshal.GetReference(b);
        for (; i <= n - V.Count; i += V.Count)
        {
            V h = (V.Load(ref Unsafe.Add(ref px, i)) - m) * r;
            V.Store(h * V.Load(ref Unsafe.Add(ref pw, i)) + V.Load(ref Unsafe.Add(ref pb, i)), ref Unsafe.Add(ref py, i));
        }
        for (; i < n; i++)
        {
            float h = (Unsafe.Add(ref px, i) - mean) * rstd;
            Unsafe.Add(ref py, i) = h * Unsafe.Add(ref pw, i) + Unsafe.Add(ref pb, i);
        }
    }

    // Σh and Σh·x̂ with eight partial sums each (as in Stats), then dx; eight elements at a time in double.
    private static void InputGradRow(ReadOnlySpan<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> w, float mean, float rstd, Span<float> dx)
    {
        int n = x.Length, i = 0;
        bool affine = !w.IsEmpty;
        ref float px = ref MemoryMarshal.GetReference(x), pg = ref MemoryMarshal.GetReference(g), pd = ref MemoryMarshal.GetReference(dx);
        ref float pw = ref MemoryMarshal.GetReference(w);
        var vm = Vector256.Create(mean);
        var vr = Vector256.Create((double)rstd);
        Vector256<double> h0 = default, h1 = default, q0 = default, q1 = default;
        for (; i <= n - 8; i += 8)
        {
            var (xa, xb, ha, hb) = Load(ref px, ref pg, ref pw, affine, i, vm, vr);
            h0 += ha; h1 += hb;
            q0 += ha * xa; q1 += hb * xb;
        }
        double sumH = Combine(h0 + h1), sumHX = Combine(q0 + q1);
        for (int j = i; j < n; j++)
        {
            double xh = (Unsafe.Add(ref px, j) - mean) * (double)rstd;
            double h = affine ? (double)Unsafe.Add(ref pg, j) * Unsafe.Add(ref pw, j) : Unsafe.Add(ref pg, j);
            sumH += h;
            sumHX += h * xh;
        }
        double mh = sumH / n, mhx = sumHX / n;
        var vmh = Vector256.Create(mh);
        var vmhx = Vector256.Create(mhx);
        for (i = 0; i <= n - 8; i += 8)
        {
            var (xa, xb, ha, hb) = Load(ref px, ref pg, ref pw, affine, i, vm, vr);
            Vector256.Narrow(vr * (ha - vmh - xa * vmhx), vr * (hb - vmh - xb * vmhx)).StoreUnsafe(ref pd, (nuint)i);
        }
        for (; i < n; i++)
        {
            double xh = (Unsafe.Add(ref px, i) - mean) * (double)rstd;
            double h = affine ? (double)Unsafe.Add(ref pg, i) * Unsafe.Add(ref pw, i) : Unsafe.Add(ref pg, i);
            Unsafe.Add(ref pd, i) = (float)(rstd * (h - mh - xh * mhx));
        }
    }

    // x̂ = (x − μ)·r (the difference in float, as the scalar tail) and h = g·γ in double, for elements i … i + 7.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Xa, Vector256<double> Xb, Vector256<double> Ha, Vector256<double> Hb) Load(
        ref float px, ref float pg, ref float pw, bool affine, int i, Vector256<float> mean, Vector256<double> rstd)
    {
        var d = Vector256.LoadUnsafe(ref px, (nuint)i) - mean;
        var gv = Vector256.LoadUnsafe(ref pg, (nuint)i);
        Vector256<double> ga = Vector256.WidenLower(gv), gb = Vector256.WidenUpper(gv);
        if (affine)
        {
            var wv = Vector256.LoadUnsafe(ref pw, (nuint)i);
            ga *= Vector256.WidenLower(wv);
            gb *= Vector256.WidenUpper(wv);
        }
        return (Vector256.WidenLower(d) * rstd, Vector256.WidenUpper(d) * rstd, ga, gb);
    }
}
