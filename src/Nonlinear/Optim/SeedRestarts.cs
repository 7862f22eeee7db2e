using Nonlinear.Kernels;

namespace Nonlinear.Optim;

/// <summary>One run of <see cref="SeedRestarts.Run{T}"/>.</summary>
/// <typeparam name="T">What a run produces.</typeparam>
/// <param name="Index">0-based run number.</param>
/// <param name="Seed">The seed it was started with.</param>
/// <param name="Validation">Its validation loss (lower is better; NaN counts as worst).</param>
/// <param name="Result">What it produced.</param>
public sealed record RestartRun<T>(int Index, ulong Seed, double Validation, T Result);

/// <summary>
/// Several seeds of one training run, in parallel on the cores (each run single-threaded: small full-batch fits scale
/// better across runs than inside one), the best chosen by a validation loss the caller computes on data that is
/// neither the training nor the test split. Runs are deterministic per seed, so the outcome does not depend on
/// scheduling.
/// </summary>
public static class SeedRestarts
{
    /// <summary>Runs <paramref name="run"/> for seeds <c>baseSeed·count + k</c>, k = 0 … count−1; returns the runs best first.</summary>
    /// <param name="count">Number of runs (1 … 1024).</param>
    /// <param name="baseSeed">Base seed; different base seeds give disjoint seed sets.</param>
    /// <param name="run">One training run from a seed.</param>
    /// <param name="validation">The validation loss of a run's result.</param>
    /// <param name="done">Called (serialised) as each run finishes, in completion order.</param>
    public static IReadOnlyList<RestartRun<T>> Run<T>(int count, ulong baseSeed, Func<ulong, T> run, Func<T, double> validation, Action<RestartRun<T>>? done = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(validation);
        if (count < 1 || count > 1024) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be in [1, 1024].");
        var runs = new RestartRun<T>[count];
        int saved = Parallelism.MaxThreads;
        var gate = new object();
        // The kernels' thread budget is global: the runs are the parallelism, each kernel runs inline.
        Parallelism.MaxThreads = 1;
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(count, saved) }, k =>
            {
                ulong seed = baseSeed * (ulong)count + (ulong)k;
                var result = run(seed);
                double v = validation(result);
                runs[k] = new RestartRun<T>(k, seed, double.IsNaN(v) ? double.PositiveInfinity : v, result);
                if (done is not null) lock (gate) done(runs[k]);
            });
        }
        finally { Parallelism.MaxThreads = saved; }
        return runs.OrderBy(r => r.Validation).ThenBy(r => r.Index).ToList();
    }
}
