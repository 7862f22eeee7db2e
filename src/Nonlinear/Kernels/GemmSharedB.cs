namespace Nonlinear.Kernels;

internal static partial class Gemm
{
    // The caller's packed op(B) for the threads it hands rows to; grown on demand and kept for the next call.
    [ThreadStatic] private static float[]? _sharedB;

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
    internal static unsafe void RunSharedB<V, R>(GemmArgs g, int t, int rowPanels, int colPanels)
        where V : struct, ISimdVec<V> where R : struct, IGemmRows
    {
        int mr = R.Count, nr = 2 * V.Count;
        int npad = colPanels * nr, kc = DepthBlock(g.K), depthBlocks = (g.K + kc - 1) / kc;
        nint packed = (nint)Aligned(ref _sharedB, checked(g.K * npad));

        // Pack: depth blocks × column groups, enough pieces for every thread. Block pc holds kb × npad floats at
        // pc·npad (the blocks before it hold pc rows of op(B)), its panel q at q·kb·nr, as Block expects.
        int groups = Math.Min(colPanels, Math.Max(1, (2 * t + depthBlocks - 1) / depthBlocks));
        var packing = new SharedPacking(depthBlocks * groups);
        void PackPiece(int piece)
        {
            int d = piece / groups, grp = piece % groups;
            int pc = d * kc, kb = Math.Min(kc, g.K - pc);
            int q0 = (int)((long)colPanels * grp / groups), q1 = (int)((long)colPanels * (grp + 1) / groups);
            int j0 = q0 * nr, cols = Math.Min(q1 * nr, g.N) - j0;
            if (cols > 0) PackB(g.TransB, g.B, g.Ldb, pc, kb, j0, cols, nr, (float*)packed + (nint)pc * npad + (nint)j0 * kb);
        }
        Action<int> pack = PackPiece;

        // Compute: chunks of whole micro-panels, at most one Mc block each, about ChunksPerThread per thread.
        // One job, not a packing job then a computing one: a second hand-off cost more than the packing saved at 256³.
        int panelsPerChunk = Math.Clamp((rowPanels + ChunksPerThread * t - 1) / (ChunksPerThread * t), 1, R.Mc / mr);
        int chunks = (rowPanels + panelsPerChunk - 1) / panelsPerChunk;
        Parallelism.For(chunks, task =>
        {
            packing.HelpThenWait(pack);
            int r0 = task * panelsPerChunk * mr, r1 = Math.Min(r0 + panelsPerChunk * mr, g.M);
            Block<V, R>(g, r0, r1, 0, g.N, (float*)packed, npad);
        });
    }
}
