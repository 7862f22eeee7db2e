namespace Nonlinear.Kernels;

/// <summary>
/// How an elementwise pass over n floats is split for the worker pool. The chunks are a fixed function of the length
/// and the thread budget, never of scheduling, and start on multiples of 64 floats, so every element takes the same
/// vector or scalar path as in one single-threaded call: the split never changes a bit.
/// </summary>
internal static class ElementwiseChunks
{
    /// <summary>Chunks for <paramref name="n"/> floats when a pass of <paramref name="threshold"/> floats is worth parallelising.</summary>
    public static int Count(int n, int threshold) => Math.Min(Parallelism.MaxThreads * 4, Math.Max(1, n / (threshold / 4)));

    /// <summary>Start and length of chunk <paramref name="c"/> of <paramref name="chunks"/>.</summary>
    public static (int Start, int Length) Range(int n, int chunks, int c)
    {
        long per = ((long)n / chunks + 63) / 64 * 64;
        long start = Math.Min(n, per * c), end = c == chunks - 1 ? n : Math.Min(n, per * (c + 1));
        return ((int)start, (int)(end - start));
    }
}
