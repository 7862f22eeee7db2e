using System.Runtime.CompilerServices;

namespace Nonlinear.Kernels;

/// <summary>The operands of one GEMM call as raw pointers (the spans are pinned by the caller for the whole call).</summary>
internal readonly unsafe struct GemmArgs(bool transA, bool transB, int m, int n, int k, float alpha,
    float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
{
    public readonly bool TransA = transA, TransB = transB;
    public readonly int M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
    public readonly float Alpha = alpha, Beta = beta;
    public readonly float* A = a, B = b, C = c;
}

internal static partial class Gemm
{
    /// <summary>Depth of one packed block. Fixed for every tier and thread count: it decides the rounding.</summary>
    internal const int Kc = 256;
    /// <summary>Below about 80³ multiply-adds per thread, fork/join costs more than it saves.</summary>
    internal const long ParallelGrain = 1L << 19;
    private const int MaxTile = 12 * 32;

    // Per-thread packing buffers, allocated once per thread (about 1.2 MiB) and reused by every later call.
    [ThreadStatic] private static float[]? _packA, _packB;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void Run<V, R>(GemmArgs g, int threads) where V : struct, ISimdVec<V> where R : struct, IGemmRows
    {
        int mr = R.Count, nr = 2 * V.Count;
        int rowPanels = (g.M + mr - 1) / mr, colPanels = (g.N + nr - 1) / nr;
        long work = (long)g.M * g.N * g.K;
        int t = (int)Math.Clamp(work / ParallelGrain, 1, Math.Max(threads, 1));
        var (gr, gc) = Grid(t, rowPanels, colPanels, g.M, g.N);
        if (t == 1 || gr * gc == 1)
        {
            Block<V, R>(g, 0, g.M, 0, g.N);
            return;
        }
        switch (ChooseRoute(t, rowPanels, colPanels, mr, nr, R.Mc, g.K))
        {
            case GemmRoute.SharedB: RunSharedB<V, R>(g, t, rowPanels, colPanels); return;
            case GemmRoute.SharedA: RunSharedA<V, R>(g, t, rowPanels, colPanels); return;
        }
        // A short op(A) (one Mc block) is cheap to pack again per task: spare column chunks let a thread that is free
        // take more of them instead of all threads waiting for the slowest static share.
        if (gr == 1 && g.M <= R.Mc) gc = Math.Min(colPanels, ChunksPerThread * t);
        Parallelism.For(gr * gc, task =>
        {
            int tr = task / gc, tc = task % gc;
            int r0 = (int)((long)rowPanels * tr / gr) * mr, r1 = Math.Min((int)((long)rowPanels * (tr + 1) / gr) * mr, g.M);
            int c0 = (int)((long)colPanels * tc / gc) * nr, c1 = Math.Min((int)((long)colPanels * (tc + 1) / gc) * nr, g.N);
            Block<V, R>(g, r0, r1, c0, c1);
        });
    }

    /// <summary>
    /// Splits C into gr × gc tasks (gr·gc ≤ t). Every task packs its own rows of A and columns of B, so the split
    /// that minimises the repacked volume gc·M + gr·N wins; each task gets at least one micro-panel each way.
    /// </summary>
    private static (int Rows, int Cols) Grid(int t, int rowPanels, int colPanels, int m, int n)
    {
        for (; t > 1; t--)
        {
            (int, int) best = (0, 0);
            long bestCost = long.MaxValue;
            for (int gc = 1; gc <= t; gc++)
            {
                if (t % gc != 0) continue;
                int gr = t / gc;
                if (gr > rowPanels || gc > colPanels) continue;
                long cost = (long)gc * m + (long)gr * n;
                if (cost < bestCost) (best, bestCost) = ((gr, gc), cost);
            }
            if (bestCost != long.MaxValue) return best;
        }
        return (1, 1);
    }

    /// <summary>
    /// Computes rows [r0, r1) × columns [c0, c1) of C on the calling thread, packing op(B) itself, or reading it
    /// from <paramref name="sharedB"/> when given (all of op(B) packed by <see cref="RunSharedB{V,R}"/>, block pc at
    /// pc·<paramref name="npad"/>; then c0 must be a multiple of NR); likewise op(A) from <paramref name="sharedA"/>
    /// (packed by <see cref="RunSharedA{V,R}"/>, block pc at pc·<paramref name="mpad"/>; r0 a multiple of MR).
    /// </summary>
    /// <remarks>
    /// The BLIS loop nest: a kc × Nc block of op(B) and an Mc × kc block of op(A) are packed, then every NR-wide
    /// micro-panel of B (kept in L1) meets every MR-row micro-panel of A (streamed from L2). The depth loop is
    /// outermost and each element's chain continues from block to block, so the blocking is invisible in the bits.
    /// The loop nest and the packing are compiled fully optimised from the first call, like the micro-kernel: their
    /// tier-0 code (intrinsics not inlined) made the first ~100 ms of 256³ products run at 40–50 instead of 60–80
    /// GFLOP/s on one thread (gemm-gflops with and without DOTNET_TieredCompilation=0, loaded machine), and a process
    /// that trains for a few seconds spends a good part of them there.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Block<V, R>(in GemmArgs g, int r0, int r1, int c0, int c1, float* sharedB = null, int npad = 0,
        float* sharedA = null, int mpad = 0)
        where V : struct, ISimdVec<V> where R : struct, IGemmRows
    {
        int mr = R.Count, nr = 2 * V.Count, mc = R.Mc, nc = R.Nc;
        float* ap = sharedA is null ? Aligned(ref _packA, Kc * mc) : null, bp = sharedB is null ? Aligned(ref _packB, Kc * nc) : null;
        float* tile = stackalloc float[MaxTile];
        nint ldc = g.Ldc;
        int kc = DepthBlock(g.K);
        for (int pc = 0; pc < g.K; pc += kc)
        {
            int kb = Math.Min(kc, g.K - pc);
            // Later depth blocks accumulate onto the earlier ones: C = fma(alpha, acc, 1·C).
            float beta = pc == 0 ? g.Beta : 1f;
            for (int jc = c0; jc < c1; jc += nc)
            {
                int nb = Math.Min(nc, c1 - jc);
                if (sharedB is null) PackB(g.TransB, g.B, g.Ldb, pc, kb, jc, nb, nr, bp);
                else bp = sharedB + (nint)pc * npad + (nint)jc * kb;
                for (int ic = r0; ic < r1; ic += mc)
                {
                    int mb = Math.Min(mc, r1 - ic);
                    if (sharedA is null) PackA(g.TransA, g.A, g.Lda, ic, mb, pc, kb, mr, ap);
                    else ap = sharedA + (nint)pc * mpad + (nint)ic * kb;
                    for (int jr = 0; jr < nb; jr += nr)
                    {
                        int cols = Math.Min(nr, nb - jr);
                        float* panel = bp + (nint)jr * kb;
                        for (int ir = 0; ir < mb; ir += mr)
                        {
                            int rows = Math.Min(mr, mb - ir);
                            float* apanel = ap + (nint)ir * kb, cblock = g.C + (ic + ir) * ldc + jc + jr;
                            if (rows == mr && cols == nr)
                                MicroKernel<V, R>(kb, apanel, panel, cblock, ldc, g.Alpha, beta);
                            else
                            {
                                MicroKernel<V, R>(kb, apanel, panel, tile, nr, 1f, 0f);
                                MergeEdge(tile, nr, rows, cols, cblock, ldc, g.Alpha, beta);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Depth of the packed blocks for a given K: at most <see cref="Kc"/>, balanced so a K just past a multiple of
    /// Kc leaves no thin last block (784 = 4 × 196, not 3 × 256 + 16) that would pay a full pass over C for little work.
    /// Depends on K alone, never on the tier or the threads, because it fixes where the FMA chains are rounded into C.
    /// </summary>
    internal static int DepthBlock(int k)
    {
        int blocks = (k + Kc - 1) / Kc;
        int kc = (k + blocks - 1) / blocks;
        return Math.Min(Kc, (kc + 7) & ~7);
    }

    /// <summary>A per-thread pinned buffer of at least <paramref name="floats"/>, aligned to 64 bytes so panel loads never split cache lines.</summary>
    private static unsafe float* Aligned(ref float[]? buffer, int floats)
    {
        // The row shapes block differently, so a thread that served one may need a larger buffer for the other.
        // 16 floats of slack for the alignment, 16 more kept from when Transpose6Rows stored past its panel (it no longer does).
        if (buffer is null || buffer.Length < floats + 32)
            buffer = GC.AllocateUninitializedArray<float>(floats + 32, pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref buffer[0]);
        return (float*)((p + 63) & ~(nint)63);
    }
}
