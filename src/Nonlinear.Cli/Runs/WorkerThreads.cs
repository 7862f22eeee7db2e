using System.Runtime.ExceptionServices;
using Nonlinear.Store;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// `sweep work --workers N`: N workers in one process, each on its own thread with its own store connection and one
/// kernel thread per trial. They claim trials exactly as N separate processes would (the claim is atomic in the
/// store), but pay the process start-up (runtime, JIT of the command line, the store and the training loop: about
/// 0.5–0.8 s of CPU per process) once instead of N times. Concurrent single-thread trainings in one process are the
/// same as fit's --restarts: kernel scratch buffers and the no-grad depth are per thread, and a trial's result does
/// not depend on which thread ran it. The price of one process is one garbage collector: every collection stops every
/// worker, which is why these commands run with a large gen0 budget (<see cref="GcBudget"/>; `sweep work` prints the
/// collections and the time paused when it ends).
/// </summary>
internal static class WorkerThreads
{
    /// <summary>Runs <paramref name="count"/> workers until none finds a trial; returns their names and completed trials.</summary>
    public static IReadOnlyList<(string Worker, int Completed)> Run(RunStore store, int count, WorkerOptions options, Action<string> log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (count == 1)
        {
            var only = new SweepWorker(store, options, log);
            return [(only.Id, only.Run())];
        }
        var stores = new List<RunStore> { store };
        try
        {
            for (int i = 1; i < count; i++) stores.Add(store.Reopen());
            var workers = stores.Select(s => new SweepWorker(s, options, log)).ToList();
            var done = new int[count];
            var errors = new ExceptionDispatchInfo?[count];
            var threads = workers.Select((w, i) => new Thread(() =>
            {
                try { done[i] = w.Run(); }
                catch (Exception e) { errors[i] = ExceptionDispatchInfo.Capture(e); }
            }) { Name = $"sweep worker {i}", IsBackground = true }).ToList();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            // A worker's failure (the store went away, a bug) ends the command as it would end a single worker.
            errors.FirstOrDefault(e => e is not null)?.Throw();
            return workers.Select((w, i) => (w.Id, done[i])).ToList();
        }
        finally
        {
            foreach (var s in stores.Skip(1)) s.Dispose();
        }
    }
}
