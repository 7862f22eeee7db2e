namespace Nonlinear.Kernels;

internal static partial class Gemm
{
    // The caller's packed op(A) for the threads it hands columns to; grown on demand and kept for the next call.
    [ThreadStatic] private static float[]? _sharedA;

    /// <summary>
    /// The multi-threaded route for short, deep products (the weight gradients dyᵀ·x of a layer over a long batch):
    /// op(A) is packed once, in parallel, into one buffer every thread reads, and columns are handed out in chunks of
    /// whole NR panels, each chunk packing only its own columns of op(B).
    /// </summary>
    /// <remarks>
    /// Why: splitting the rows of a short op(A) (128 rows at K = 4096) over chunks that share op(B) leaves each chunk
    /// a few row panels, so every B micro-panel fetched into L1 serves only those few before it is dropped, and the
    /// whole packed op(B) streams from L3 once per chunk. Splitting columns instead lets each B micro-panel meet every
    /// row of op(A). The mirror image of <see cref="RunSharedB{V,R}"/>, with the same dynamic chunks and one hand-off.
    /// </remarks>
    internal static unsafe void RunSharedA<V, R>(GemmArgs g, int t, int rowPanels, int colPanels)
        where V : struct, ISimdVec<V> where R : struct, IGemmRows
    {
        int mr = R.Count, nr = 2 * V.Count;
        int mpad = rowPanels * mr, kc = DepthBlock(g.K), depthBlocks = (g.K + kc - 1) / kc;
        nint packed = (nint)Aligned(ref _sharedA, checked(g.K * mpad));

        // Pack: depth blocks × row groups. Block pc holds kb × mpad floats at pc·mpad, its micro-panel of rows
        // i..i+MR at i·kb, as Block reads it.
        int groups = Math.Min(rowPanels, Math.Max(1, (2 * t + depthBlocks - 1) / depthBlocks));
        var packing = new SharedPacking(depthBlocks * groups);
        void PackPiece(int piece)
        {
            int d = piece / groups, grp = piece % groups;
            int pc = d * kc, kb = Math.Min(kc, g.K - pc);
            int q0 = (int)((long)rowPanels * grp / groups), q1 = (int)((long)rowPanels * (grp + 1) / groups);
            int i0 = q0 * mr, rows = Math.Min(q1 * mr, g.M) - i0;
            if (rows > 0) PackA(g.TransA, g.A, g.Lda, i0, rows, pc, kb, mr, (float*)packed + (nint)pc * mpad + (nint)i0 * kb);
        }
        Action<int> pack = PackPiece;

        int panelsPerChunk = Math.Clamp((colPanels + ChunksPerThread * t - 1) / (ChunksPerThread * t), 1, R.Nc / nr);
        int chunks = (colPanels + panelsPerChunk - 1) / panelsPerChunk;
        Parallelism.For(chunks, task =>
        {
            packing.HelpThenWait(pack);
            int c0 = task * panelsPerChunk * nr, c1 = Math.Min(c0 + panelsPerChunk * nr, g.N);
            Block<V, R>(g, 0, g.M, c0, c1, sharedA: (float*)packed, mpad: mpad);
        });
    }
}
