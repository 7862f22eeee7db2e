using System.Globalization;
using Nonlinear.Cli.Commands;
using Nonlinear.Cli.Runs;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Store;
using Nonlinear.Training;

namespace Nonlinear.Cli.Compare;

/// <summary>One training run of a comparison: its activation, seed, per-epoch history and dead-unit fraction.</summary>
internal sealed record RunRecord(string Activation, string Family, ulong Seed, IReadOnlyList<EpochResult> History, double? DeadFraction, long Parameters)
{
    /// <summary>The loss stopped being finite (the trainer stops such a run at once).</summary>
    public bool Diverged => History.Count > 0 && History[^1].Diverged;
}

/// <summary>
/// A comparison is a local sweep: its (activation, seed) runs become the trials of a study in a run store, and
/// <see cref="Plan.Workers"/> sweep workers in this process claim, train and record them exactly as `sweep work` does
/// (the same <see cref="SweepWorker"/>, not a copy). So a comparison can be resumed or joined by `sweep work` on its
/// store, `sweep report` prints its table, and its numbers are a sweep's: each run built from the same
/// <see cref="RunSettings"/> with only the activation and the seed changed.
/// </summary>
internal static class ComparisonRunner
{
    /// <summary>How a comparison's trials run.</summary>
    /// <param name="Store">The store that keeps the study and its runs.</param>
    /// <param name="Study">The study's name (unique in the store).</param>
    /// <param name="Checkpoints">Folder for trial checkpoints (written only for trials longer than the sweep's checkpoint interval).</param>
    /// <param name="Workers">Workers (threads) in this process, each training one run at a time with the settings' thread count.</param>
    /// <param name="RunLines">Print one line per finished run.</param>
    public sealed record Plan(RunStore Store, string Study, string Checkpoints, int Workers = 1, bool RunLines = true);

    /// <param name="settings">Data, model and training options; its activation and seed are replaced per run.</param>
    /// <param name="activations">Activation specs (catalog or learnable) with their family, each trained <paramref name="seeds"/> times (seeds 0 … seeds−1).</param>
    /// <param name="seeds">Runs per activation.</param>
    /// <param name="data">The train and test sets <paramref name="settings"/> load (already loaded: the workers reuse them).</param>
    /// <param name="plan">Store, study name, checkpoints and workers.</param>
    /// <returns>The runs in (activation, seed) order, read back from the store.</returns>
    public static List<RunRecord> Run(RunSettings settings, IReadOnlyList<(ActivationSpec Spec, string Family)> activations, int seeds,
                                      (Dataset Train, Dataset Test) data, Plan plan)
    {
        int perRun = settings.Options.Epochs * settings.BatchesPerEpoch(data.Train);
        long total = (long)perRun * activations.Count * seeds;
        if (total > int.MaxValue) throw new InvalidInputException($"compare: {activations.Count} activations × {seeds} seeds × {perRun} steps is too many steps for one comparison.");
        var trials = new List<IReadOnlyDictionary<string, string>>();
        foreach (var (spec, _) in activations)
            for (int s = 0; s < seeds; s++)
            {
                var run = settings with { Model = settings.Model.WithActivation(spec), Options = settings.Options with { Seed = (ulong)s } };
                // The keys SweepTrials.ToSettings reads back: the worker rebuilds exactly this run from them.
                var cfg = run.Describe();
                if (settings.DataDir is not null) cfg["data_dir"] = settings.DataDir;
                trials.Add(cfg);
            }
        var studyConfig = new Dictionary<string, string>(trials[0])
        {
            ["command"] = "compare", ["activations"] = string.Join(";", activations.Select(a => a.Spec.ToString())),
            ["seeds"] = seeds.ToString(CultureInfo.InvariantCulture),
        };
        studyConfig.Remove("activation");
        studyConfig.Remove("seed");
        long id = plan.Store.CreateStudy(plan.Study, studyConfig, trials);
        var shared = new TrialData();
        shared.Add(settings, data);
        return ProgressView.RunMany("compare", (int)total, session =>
        {
            var options = new WorkerOptions(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), plan.Checkpoints, settings.Threads, int.MaxValue, WaitForOthers: true, StudyId: id)
            {
                RunKind = "compare", RunName = RunName, Data = shared, Warnings = settings.Warnings, View = new SessionView(session, plan.RunLines),
            };
            // The worker's own log (claims, resumes) is for sweep logs; a comparison shows its bar and run lines.
            WorkerThreads.Run(plan.Store, plan.Workers, options, _ => { });
            var done = plan.Store.Trials(id);
            if (done.FirstOrDefault(t => t.Status == TrialStatus.Failed) is { } failed)
                throw new InvalidInputException($"compare: run '{RunName(failed)}' failed: {failed.Error}");
            if (done.FirstOrDefault(t => t.Status != TrialStatus.Completed) is { } open)
                throw new InvalidOperationException($"compare: trial {open.Index} of study '{plan.Study}' is {open.Status} after every worker stopped.");
            return SweepReport.Records(plan.Store, id, done);
        }, epochLines: false);
    }

    private static string RunName(Trial t) => $"{t.Config.GetValueOrDefault("activation")} seed {t.Config.GetValueOrDefault("seed")}";

    /// <summary>compare's display: every trial under the one bar, a line per finished run (lines never interleave).</summary>
    private sealed class SessionView(ProgressView.Session session, bool runLines) : ITrialView
    {
        private readonly object _gate = new();

        public IReadOnlyList<EpochResult> Train(string title, int steps, Func<ITrainingObserver?, IReadOnlyList<EpochResult>> fit) =>
            session.Track(title, steps, observer => fit(observer));

        public void Finished(Trial trial, RunRecord record)
        {
            if (!runLines) return;
            lock (_gate) session.Line(Describe(record));
        }
    }

    private static string Describe(RunRecord r)
    {
        if (r.History.Count == 0) return $"{r.Activation} seed {r.Seed}: no epochs";
        var last = r.History[^1];
        if (r.Diverged) return $"{r.Activation} seed {r.Seed}: diverged in epoch {last.Epoch} (loss {last.TrainLoss})";
        double secs = r.History.Average(h => h.Seconds);
        return $"{r.Activation} seed {r.Seed}: test acc {last.TestAccuracy:P2}, train loss {last.TrainLoss:G5}, {secs:0.00} s/epoch"
             + (r.DeadFraction is double d ? $", dead units {d:P1}" : "");
    }
}
