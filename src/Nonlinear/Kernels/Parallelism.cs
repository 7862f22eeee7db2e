namespace Nonlinear.Kernels;

/// <summary>
/// The thread budget of every multi-threaded kernel. Work is always split into the same chunks for a given
/// thread count, and no kernel reduces across chunks in a racy order, so a run is bit-identical for the
/// same seed and the same <see cref="MaxThreads"/>.
/// </summary>
public static class Parallelism
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>Threads a kernel may use (default: the number of logical cores).</summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set
        {
            if (value < 1 || value > 1024)
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxThreads must be in [1, 1024].");
            _maxThreads = value;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(chunk) for chunk in [0, chunks) on up to <see cref="MaxThreads"/> threads.
    /// Runs inline when there is one chunk or one thread, so small work pays no scheduling cost; otherwise on
    /// persistent workers (<see cref="WorkerPool"/>), whose hand-off costs about a microsecond rather than the
    /// several of a <c>Parallel.For</c>. An exception thrown by a chunk is rethrown as itself (not wrapped) once no chunk is running; chunks not yet
    /// started when it was thrown may be skipped.
    /// </summary>
    public static void For(int chunks, Action<int> body)
    {
        if (chunks <= 1 || _maxThreads == 1)
        {
            for (int i = 0; i < chunks; i++) body(i);
            return;
        }
        WorkerPool.Run(chunks, _maxThreads, body);
    }
}
