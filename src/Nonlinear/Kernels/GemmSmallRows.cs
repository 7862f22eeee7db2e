using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nonlinear.Kernels;

internal static partial class Gemm
{
    /// <summary>Up to this many rows of C, each row is a matrix–vector product (batch-1 inference, small batches).</summary>
    internal const int SmallRows = 4;

    /// <summary>
    /// C = alpha · op(A) · op(B) + beta · C for M ≤ <see cref="SmallRows"/>, one row at a time and without packing.
    /// </summary>
    /// <remarks>
    /// Why: the packed path pads one row to a 6-row micro-panel (6× the FMAs) and copies all of op(B) for a single
    /// pass over it. Here each element is still the chain of the packed kernel — acc = fma(b, a, acc) over p in order
    /// within each <see cref="DepthBlock"/>-deep block, then alpha·acc (+ beta·C) — so a row of a batch gets the same
    /// bits whether it is computed alone or with 1000 others. Columns are split across threads in chunks of 64.
    /// The loops are compiled fully optimised from the first call (like the micro-kernel): at batch 1 a process may
    /// make only a few calls, and tier-0 code of these intrinsics loops is about 10× slower.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void RunSmallRows<V>(GemmArgs g, int threads) where V : struct, ISimdVec<V>
    {
        const int chunk = 64;
        int chunks = (g.N + chunk - 1) / chunk;
        long work = (long)g.M * g.N * g.K;
        int t = (int)Math.Min(Math.Clamp(work / ParallelGrain, 1, Math.Max(threads, 1)), chunks);
        if (t == 1)
        {
            SmallRowsBlock<V>(g, 0, g.N);
            return;
        }
        Parallelism.For(t, task =>
        {
            int c0 = (int)((long)chunks * task / t) * chunk, c1 = Math.Min((int)((long)chunks * (task + 1) / t) * chunk, g.N);
            SmallRowsBlock<V>(g, c0, c1);
        });
    }

    /// <summary>Columns [c0, c1) of every row of C; the accumulators of one depth block live in a stack tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SmallRowsBlock<V>(in GemmArgs g, int c0, int c1) where V : struct, ISimdVec<V>
    {
        const int tileCols = 512;
        float* acc = stackalloc float[tileCols];
        int kc = DepthBlock(g.K);
        for (int i = 0; i < g.M; i++)
        {
            // op(A)[i, p] = a[i·lda + p], or a[p·lda + i] when A is stored transposed.
            float* arow = g.TransA ? g.A + i : g.A + i * (nint)g.Lda;
            nint astride = g.TransA ? g.Lda : 1;
            float* crow = g.C + i * (nint)g.Ldc;
            for (int jc = c0; jc < c1; jc += tileCols)
            {
                int nb = Math.Min(tileCols, c1 - jc);
                for (int pc = 0; pc < g.K; pc += kc)
                {
                    int kb = Math.Min(kc, g.K - pc);
                    new Span<float>(acc, nb).Clear();
                    if (g.TransB) DotColumns<V>(arow + pc * astride, astride, g.B + jc * (nint)g.Ldb + pc, g.Ldb, kb, nb, acc);
                    else AxpyRows<V>(arow + pc * astride, astride, g.B + pc * (nint)g.Ldb + jc, g.Ldb, kb, nb, acc);
                    MergeEdge(acc, nb, 1, nb, crow + jc, 0, g.Alpha, pc == 0 ? g.Beta : 1f);
                }
            }
        }
    }

    /// <summary>acc[j] = fma(b[p·ldb + j], a[p], acc[j]) for p in order: B stored K×N, rows streamed contiguously.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AxpyRows<V>(float* a, nint astride, float* b, nint ldb, int kb, int nb, float* acc)
        where V : struct, ISimdVec<V>
    {
        int w = V.Count;
        for (int p = 0; p < kb; p++)
        {
            float ap = a[p * astride];
            V va = V.Create(ap);
            float* brow = b + p * ldb;
            int j = 0;
            for (; j + w <= nb; j += w) V.Store(V.Fma(V.Load(ref brow[j]), va, V.Load(ref acc[j])), ref acc[j]);
            for (; j < nb; j++) acc[j] = MathF.FusedMultiplyAdd(brow[j], ap, acc[j]);
        }
    }

    /// <summary>
    /// acc[j] = fma(b[j·ldb + p], a[p], acc[j]) for p in order: B stored N×K, so each output is a dot product of a
    /// stored row. Eight rows at a time through an 8×8 transpose (lanes = outputs, one vector per p) keep the chain
    /// sequential in p; without AVX (or with a strided A), eight interleaved scalar chains hide the FMA latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DotColumns<V>(float* a, nint astride, float* b, nint ldb, int kb, int nb, float* acc)
        where V : struct, ISimdVec<V>
    {
        int j = 0;
        if (typeof(V) == typeof(Vec256) && Avx.IsSupported && Fma.IsSupported && astride == 1)
        {
            for (; j + 16 <= nb; j += 16) Dot16Rows(a, b + j * ldb, ldb, kb, acc + j);
            for (; j + 8 <= nb; j += 8) Dot8Rows(a, b + j * ldb, ldb, kb, acc + j);
        }
        for (; j + 8 <= nb; j += 8)
        {
            float* bj = b + j * ldb;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (int p = 0; p < kb; p++)
            {
                float ap = a[p * astride];
                float* q = bj + p;
                s0 = MathF.FusedMultiplyAdd(q[0], ap, s0); s1 = MathF.FusedMultiplyAdd(q[ldb], ap, s1);
                s2 = MathF.FusedMultiplyAdd(q[2 * ldb], ap, s2); s3 = MathF.FusedMultiplyAdd(q[3 * ldb], ap, s3);
                s4 = MathF.FusedMultiplyAdd(q[4 * ldb], ap, s4); s5 = MathF.FusedMultiplyAdd(q[5 * ldb], ap, s5);
                s6 = MathF.FusedMultiplyAdd(q[6 * ldb], ap, s6); s7 = MathF.FusedMultiplyAdd(q[7 * ldb], ap, s7);
            }
            acc[j] = s0; acc[j + 1] = s1; acc[j + 2] = s2; acc[j + 3] = s3;
            acc[j + 4] = s4; acc[j + 5] = s5; acc[j + 6] = s6; acc[j + 7] = s7;
        }
        for (; j < nb; j++)
        {
            float* bj = b + j * ldb;
            float s = 0;
            for (int p = 0; p < kb; p++) s = MathF.FusedMultiplyAdd(bj[p], a[p * astride], s);
            acc[j] = s;
        }
    }

    /// <summary>
    /// Sixteen outputs acc[0..16) = Σ_p b[r·ldb + p] · a[p], one in-order FMA chain per lane. Two groups of eight
    /// rows run side by side because one chain of 8 dependent FMAs per 8×8 block is latency-bound (4 cycles each);
    /// two independent chains bring it to the shuffle throughput of the transposes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dot16Rows(float* a, float* b, nint ldb, int kb, float* acc)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
        float* b1 = b + 8 * ldb;
        int p = 0;
        for (; p + 8 <= kb; p += 8)
        {
            Block8(b + p, ldb, a + p, ref s0);
            Block8(b1 + p, ldb, a + p, ref s1);
        }
        for (; p < kb; p++)
        {
            s0 = Fma.MultiplyAdd(Column(b + p, ldb), Vector256.Create(a[p]), s0);
            s1 = Fma.MultiplyAdd(Column(b1 + p, ldb), Vector256.Create(a[p]), s1);
        }
        Avx.Store(acc, s0);
        Avx.Store(acc + 8, s1);
    }

    /// <summary>Eight outputs acc[0..8), as <see cref="Dot16Rows"/> with one group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dot8Rows(float* a, float* b, nint ldb, int kb, float* acc)
    {
        Vector256<float> s = Vector256<float>.Zero;
        int p = 0;
        for (; p + 8 <= kb; p += 8) Block8(b + p, ldb, a + p, ref s);
        for (; p < kb; p++) s = Fma.MultiplyAdd(Column(b + p, ldb), Vector256.Create(a[p]), s);
        Avx.Store(acc, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Column(float* q, nint ldb)
        => Vector256.Create(q[0], q[ldb], q[2 * ldb], q[3 * ldb], q[4 * ldb], q[5 * ldb], q[6 * ldb], q[7 * ldb]);

    /// <summary>s = fma(B[r, p+i], a[p+i], s) for i = 0..7 in order, lanes r = 0..7, via an 8×8 transpose of the block at q.</summary>
    /// <remarks>
    /// The transpose repeats <c>GemmPacking.Transpose8x8</c>'s on purpose: one shared helper returning the eight columns
    /// through out parameters made batch-1 inference 10 % slower (mlp-infer b1, 2 threads, alternating: 50.5 → 55.8 µs),
    /// because the JIT kept the columns in memory.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Block8(float* q, nint ldb, float* ap, ref Vector256<float> s)
    {
        Vector256<float> r0 = Avx.LoadVector256(q), r1 = Avx.LoadVector256(q + ldb), r2 = Avx.LoadVector256(q + 2 * ldb),
            r3 = Avx.LoadVector256(q + 3 * ldb), r4 = Avx.LoadVector256(q + 4 * ldb), r5 = Avx.LoadVector256(q + 5 * ldb),
            r6 = Avx.LoadVector256(q + 6 * ldb), r7 = Avx.LoadVector256(q + 7 * ldb);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3),
            t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE),
            u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        s = Fma.MultiplyAdd(Avx.Permute2x128(u0, u4, 0x20), Vector256.Create(ap[0]), s);
        s = Fma.MultiplyAdd(Avx.Permute2x128(u1, u5, 0x20), Vector256.Create(ap[1]), s);
        s = Fma.MultiplyAdd(Avx.Permute2x128(u2, u6, 0x20), Vector256.Create(ap[2]), s);
        s = Fma.MultiplyAdd(Avx.Permute2x128(u3, u7, 0x20), Vector256.Create(ap[3]), s);
        s = Fma.MultiplyAdd(Avx.Permute2x128(u0, u4, 0x31), Vector256.Create(ap[4]), s);
        s = Fma.MultiplyAdd(Avx.Permute2x128(u1, u5, 0x31), Vector256.Create(ap[5]), s);
        s = Fma.MultiplyAdd(Avx.Permute2x128(u2, u6, 0x31), Vector256.Create(ap[6]), s);
        s = Fma.MultiplyAdd(Avx.Permute2x128(u3, u7, 0x31), Vector256.Create(ap[7]), s);
    }
}
