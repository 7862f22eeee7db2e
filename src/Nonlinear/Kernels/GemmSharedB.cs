namespace Nonlinear.Kernels;

internal static partial class Gemm
{
    /// <summary>Largest packed op(B) (K × N rounded up to NR, in floats: 16 MiB) that is packed once and shared by the threads.</summary>
    private const long SharedPackLimit = 1L << 22;

    /// <summary>Row chunks per thread when the threads share one packed op(B): spare chunks for whoever is free.</summary>
    private const int ChunksPerThread = 4;

    // The caller's packed op(B) for the threads it hands rows to; grown on demand and kept for the next call.
    [ThreadStatic] private static float[]? _sharedB;

    /// <summary>
    /// Whether a t-thread product should split rows over one shared packing of op(B): it needs enough row panels for
    /// spare chunks, and a packed op(B) small enough to keep.
    /// </summary>
    internal static bool UseSharedB(int t, int rowPanels, int colPanels, int nr, int k)
        => rowPanels >= ChunksPerThread * t && (long)colPanels * nr * k <= SharedPackLimit;

    /// <summary>
    /// The multi-threaded route for tall products: op(B) is packed once, in parallel, into one buffer every thread
    /// reads, and rows are handed out in chunks of at most Mc rows, each chunk packing only its own rows of op(A).
    /// </summary>
    /// <remarks>
    /// Why: with one task per thread each task packed all of op(B) for its half of the rows, so on two threads op(B)
    /// was packed twice (about 15 % of a 256³ product's time per thread), and a static half each meant that a thread
    /// descheduled by another process, or woken late from its idle wait, left the other one waiting at the end
    /// (the LM training step showed about 30 % of its time in the pool's spin and wait). Chunks are claimed one at a
    /// time, so a late thread takes fewer; no element is split across chunks, so the bits never depend on who ran it.
    /// </remarks>
    private static unsafe void RunSharedB<V, R>(GemmArgs g, int t, int rowPanels, int colPanels)
        where V : struct, ISimdVec<V> where R : struct, IGemmRows
    {
        int mr = R.Count, nr = 2 * V.Count;
        int npad = colPanels * nr, kc = DepthBlock(g.K), depthBlocks = (g.K + kc - 1) / kc;
        nint packed = (nint)Aligned(ref _sharedB, checked(g.K * npad));

        // Pack: depth blocks × column groups, enough pieces for every thread. Block pc holds kb × npad floats at
        // pc·npad (the blocks before it hold pc rows of op(B)), its panel q at q·kb·nr, as Block expects.
        int groups = Math.Min(colPanels, Math.Max(1, (2 * t + depthBlocks - 1) / depthBlocks));
        int pieces = depthBlocks * groups, nextPiece = -1, piecesLeft = pieces;

        // Compute: chunks of whole micro-panels, at most one Mc block each, about ChunksPerThread per thread.
        int panelsPerChunk = Math.Clamp((rowPanels + ChunksPerThread * t - 1) / (ChunksPerThread * t), 1, R.Mc / mr);
        int chunks = (rowPanels + panelsPerChunk - 1) / panelsPerChunk;
        // One job, not a packing job then a computing one (a second hand-off cost more than the packing saved at 256³):
        // every chunk first helps pack the pieces nobody has taken, then waits only for pieces already being packed
        // by a running thread, so no scheduler order (the pool's or Parallel.For's) can leave it waiting on work not
        // yet started.
        Parallelism.For(chunks, task =>
        {
            int piece;
            while ((piece = Interlocked.Increment(ref nextPiece)) < pieces)
            {
                int d = piece / groups, grp = piece % groups;
                int pc = d * kc, kb = Math.Min(kc, g.K - pc);
                int q0 = (int)((long)colPanels * grp / groups), q1 = (int)((long)colPanels * (grp + 1) / groups);
                int j0 = q0 * nr, cols = Math.Min(q1 * nr, g.N) - j0;
                try
                {
                    if (cols > 0) PackB(g.TransB, g.B, g.Ldb, pc, kb, j0, cols, nr, (float*)packed + (nint)pc * npad + (nint)j0 * kb);
                }
                finally { Interlocked.Decrement(ref piecesLeft); }
            }
            // SpinWait yields the core after a few rounds, so a packer that lost its core gets it back.
            var spin = new SpinWait();
            while (Volatile.Read(ref piecesLeft) > 0) spin.SpinOnce();
            int r0 = task * panelsPerChunk * mr, r1 = Math.Min(r0 + panelsPerChunk * mr, g.M);
            Block<V, R>(g, r0, r1, 0, g.N, (float*)packed, npad);
        });
    }
}
