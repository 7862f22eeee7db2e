namespace Nonlinear.Kernels;

/// <summary>How a multi-threaded GEMM call splits C and who packs what. Every route computes each element with the
/// same FMA chain, so the choice changes the speed, never the bits.</summary>
internal enum GemmRoute
{
    /// <summary>One thread does everything (small products, one thread).</summary>
    Serial,
    /// <summary>A static grid of row × column tasks, each packing its own parts of op(A) and op(B).</summary>
    Grid,
    /// <summary>op(B) packed once and shared; row chunks claimed dynamically (<see cref="Gemm.RunSharedB{V,R}"/>).</summary>
    SharedB,
    /// <summary>op(A) packed once and shared; column chunks claimed dynamically (<see cref="Gemm.RunSharedA{V,R}"/>).</summary>
    SharedA,
}

internal static partial class Gemm
{
    /// <summary>Largest packed operand (K × M or K × N rounded up to the panel width, in floats: 16 MiB) that is packed once and shared.</summary>
    private const long SharedPackLimit = 1L << 22;

    /// <summary>Chunks per thread when the threads share one packed operand: spare chunks for whoever is free.</summary>
    private const int ChunksPerThread = 4;

    /// <summary>For tests and the gemm-gflops bench: forces a route on this thread's calls where the route can run
    /// (a shared operand must fit <see cref="SharedPackLimit"/>); null chooses by <see cref="ChooseRoute"/>.</summary>
    [ThreadStatic] internal static GemmRoute? RouteOverride;

    /// <summary>
    /// The route of a t-thread product (t ≥ 2) with rowPanels × colPanels micro-tiles of MR × NR and depth k.
    /// </summary>
    /// <remarks>
    /// Measured per CPU-second, 2 threads, all routes interleaved in one process (gemm-routes, loaded machine; noise
    /// about ±5 %): sharing a short or small op(A) with column chunks ran the lm down weight gradient
    /// [128,4096]·[4096,512] at 65 against 54–55 GFLOP/cpu-s for the other routes, the snn fc1 weight gradient
    /// [1000,128]·[128,784] at 82 against 72–80, the KAN input-gradient block [512,256]·[256,2304] at 74 against 64–66.
    /// A shared op(B) larger than <see cref="SharedInCacheLimit"/> lost to the static grid, whose threads pack their own
    /// kc-deep blocks of op(B) into their own L2: the lm qkv and up weight gradients ([384|512,4096]·[4096,128], op(B)
    /// 2 MiB) ran at 59–68 on the grid against 53–65 shared.
    /// </remarks>
    internal static GemmRoute ChooseRoute(int t, int rowPanels, int colPanels, int mr, int nr, int mc, int k)
    {
        bool canShareB = rowPanels >= 2 && (long)colPanels * nr * k <= SharedPackLimit;
        bool canShareA = colPanels >= 2 && (long)rowPanels * mr * k <= SharedPackLimit;
        if (RouteOverride is { } forced)
        {
            if (forced == GemmRoute.SharedB && canShareB || forced == GemmRoute.SharedA && canShareA || forced == GemmRoute.Grid)
                return forced;
        }
        if (UseSharedA(t, rowPanels, colPanels, mr, mc, k)) return GemmRoute.SharedA;
        if (UseSharedB(t, rowPanels, colPanels, nr, k) && (long)colPanels * nr * k <= SharedInCacheLimit) return GemmRoute.SharedB;
        return GemmRoute.Grid;
    }

    /// <summary>A packed operand up to this many floats (1 MiB) is worth sharing even when it is not short: every chunk
    /// re-reads it, and beyond about twice a Zen 3 L2 it comes from L3 each time (see <see cref="ChooseRoute"/>).</summary>
    private const long SharedInCacheLimit = 1L << 18;

    /// <summary>
    /// Whether a t-thread product should split columns over one shared packing of op(A): op(A) is short (at most two
    /// Mc blocks, so row chunks sharing op(B) would be thin and each B micro-panel would serve few rows) or small
    /// (at most <see cref="SharedInCacheLimit"/> packed), there are enough column panels for spare chunks, and the
    /// packed op(A) is small enough to keep.
    /// </summary>
    internal static bool UseSharedA(int t, int rowPanels, int colPanels, int mr, int mc, int k)
    {
        long packed = (long)rowPanels * mr * k;
        return colPanels >= ChunksPerThread * t && (rowPanels * mr <= 2 * mc || packed <= SharedInCacheLimit) && packed <= SharedPackLimit;
    }

    /// <summary>
    /// Whether a t-thread product should split rows over one shared packing of op(B): it needs enough row panels for
    /// spare chunks, and a packed op(B) small enough to keep.
    /// </summary>
    internal static bool UseSharedB(int t, int rowPanels, int colPanels, int nr, int k)
        => rowPanels >= ChunksPerThread * t && (long)colPanels * nr * k <= SharedPackLimit;

    /// <summary>
    /// The pieces of one shared packing. Every chunk of the call first packs the pieces nobody has taken, then waits
    /// only for pieces already being packed by a running thread, so no scheduler order (the pool's or
    /// Parallel.For's) can leave a chunk waiting on work not yet started.
    /// </summary>
    private sealed class SharedPacking(int pieces)
    {
        private int _next = -1, _left = pieces;

        /// <summary>Packs untaken pieces with <paramref name="pack"/>(piece), then waits until every piece is packed.</summary>
        public void HelpThenWait(Action<int> pack)
        {
            int piece;
            while ((piece = Interlocked.Increment(ref _next)) < pieces)
            {
                try { pack(piece); }
                finally { Interlocked.Decrement(ref _left); }
            }
            // SpinWait yields the core after a few rounds, so a packer that lost its core gets it back.
            var spin = new SpinWait();
            while (Volatile.Read(ref _left) > 0) spin.SpinOnce();
        }
    }
}
