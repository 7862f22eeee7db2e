using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Nonlinear.Kernels;

/// <summary>
/// Persistent worker threads behind <see cref="Parallelism.For"/>: a call publishes one job, wakes as many
/// workers as it needs and runs chunks itself; every participant takes the next chunk with one interlocked
/// increment until none is left.
/// </summary>
/// <remarks>
/// Why not <c>Parallel.For</c>: it costs several microseconds per call (task objects, thread-pool queues), which is
/// the whole runtime of a batch-128 MLP layer. Why spin only briefly: a worker that spins for long holds a core
/// another process (or our own caller) may need; when a core is taken, a spinning waiter burns the time slice the
/// thread it waits for could have used. So idle workers spin for <see cref="IdleSpin"/> and then block, and the
/// caller never waits for a chunk nobody has started: it takes the remaining chunks itself, and blocks (after a
/// short spin) only for chunks that another thread is already running. Which thread runs a chunk never changes
/// what the chunk computes, so results do not depend on the scheduling.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long an idle worker polls for the next job before it blocks: long enough to bridge the gap
    /// between the kernels of one layer, short next to a scheduler time slice.</summary>
    private static readonly long IdleSpin = Stopwatch.Frequency / 20_000; // 50 µs

    /// <summary>How long the caller polls for chunks running on other threads before it blocks.</summary>
    private static readonly long DoneSpin = Stopwatch.Frequency / 50_000; // 20 µs

    private static readonly object Gate = new();
    private static Job? _job;
    private static int _generation, _sleepers, _busy, _workers;
    [ThreadStatic] private static bool _isWorker;

    private sealed class Job(Action<int> body, int chunks, int helpers)
    {
        public readonly Action<int> Body = body;
        public readonly int Chunks = chunks, Helpers = helpers;
        public int Next = -1, Remaining = chunks, CallerBlocked;
        public bool Finished;
        public Exception? Error;

        /// <summary>Runs chunks until none is left; the thread that completes the last one wakes a blocked caller.</summary>
        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref Next)) < Chunks)
            {
                try
                {
                    if (Volatile.Read(ref Error) is null) Body(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Error, e, null);
                }
                if (Interlocked.Decrement(ref Remaining) == 0)
                    lock (this)
                    {
                        Finished = true;
                        if (CallerBlocked != 0) Monitor.PulseAll(this);
                    }
            }
        }
    }

    /// <summary>Runs <paramref name="body"/>(i) for i in [0, chunks) on the caller and up to threads − 1 workers.</summary>
    public static void Run(int chunks, int threads, Action<int> body)
    {
        // A nested call (from inside a chunk) or a second caller while a job is running gets no workers: the nested
        // one runs inline, another thread falls back to the runtime's pool, so neither waits for the other's job.
        if (_isWorker || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            if (_isWorker) for (int i = 0; i < chunks; i++) body(i);
            else
            {
                try { Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, body); }
                catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                {
                    // The same contract as the workers: the chunk's own exception, not a wrapper.
                    ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
            }
            return;
        }
        var job = new Job(body, chunks, Math.Min(chunks, threads) - 1);
        try
        {
            EnsureWorkers(job.Helpers);
            Volatile.Write(ref _job, job);
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (Gate) Monitor.PulseAll(Gate);
            _isWorker = true;
            try { job.Work(); }
            finally { _isWorker = false; }
            WaitFinished(job);
        }
        finally
        {
            Volatile.Write(ref _job, null);
            Volatile.Write(ref _busy, 0);
        }
        if (job.Error is not null) ExceptionDispatchInfo.Capture(job.Error).Throw();
    }

    private static void WaitFinished(Job job)
    {
        long until = Stopwatch.GetTimestamp() + DoneSpin;
        while (Volatile.Read(ref job.Remaining) != 0)
        {
            if (Stopwatch.GetTimestamp() > until)
            {
                lock (job)
                {
                    job.CallerBlocked = 1;
                    while (!job.Finished) Monitor.Wait(job);
                }
                return;
            }
            Thread.SpinWait(8);
        }
    }

    private static void EnsureWorkers(int count)
    {
        while (_workers < count)
        {
            int index = _workers++;
            new Thread(() => Loop(index)) { IsBackground = true, Name = $"Nonlinear worker {index}" }.Start();
        }
    }

    private static void Loop(int index)
    {
        _isWorker = true;
        int seen = 0;
        while (true)
        {
            long until = Stopwatch.GetTimestamp() + IdleSpin;
            while (Volatile.Read(ref _generation) == seen && Stopwatch.GetTimestamp() < until) Thread.SpinWait(8);
            if (Volatile.Read(ref _generation) == seen)
            {
                lock (Gate)
                {
                    // Counting ourselves before the last look at the generation means a publisher either sees us
                    // asleep (and pulses under the lock, which we hold until we wait) or we see its new generation.
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(Gate);
                    Interlocked.Decrement(ref _sleepers);
                }
            }
            seen = Volatile.Read(ref _generation);
            var job = Volatile.Read(ref _job);
            if (job is not null && index < job.Helpers) job.Work();
        }
    }
}
