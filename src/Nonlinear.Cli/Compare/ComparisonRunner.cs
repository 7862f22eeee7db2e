using Nonlinear.Cli.Commands;
using Nonlinear.Cli.Runs;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Training;

namespace Nonlinear.Cli.Compare;

/// <summary>One training run of a comparison: its activation, seed, per-epoch history and dead-unit fraction.</summary>
internal sealed record RunRecord(string Activation, string Family, ulong Seed, IReadOnlyList<EpochResult> History, double? DeadFraction, long Parameters)
{
    /// <summary>The loss stopped being finite (the trainer stops such a run at once).</summary>
    public bool Diverged => History.Count > 0 && History[^1].Diverged;
}

/// <summary>
/// Trains the same model once per (activation, seed) under one progress bar, every run built from the same
/// <see cref="RunSettings"/> with only the activation and the seed changed.
/// </summary>
internal static class ComparisonRunner
{
    /// <param name="settings">Data, model and training options; its activation and seed are replaced per run.</param>
    /// <param name="activations">Activation specs (catalog or learnable) with their family, each trained <paramref name="seeds"/> times (seeds 0 … seeds−1).</param>
    /// <param name="seeds">Runs per activation.</param>
    /// <param name="train">Training set.</param>
    /// <param name="test">Test set, for the accuracy and dead-unit counts.</param>
    /// <param name="runLines">Print one line per finished run.</param>
    /// <param name="store">Where each run is recorded (kind "compare"), or null.</param>
    public static List<RunRecord> Run(RunSettings settings, IReadOnlyList<(ActivationSpec Spec, string Family)> activations, int seeds, Dataset train, Dataset test, bool runLines = true,
                                      Nonlinear.Store.RunStore? store = null)
    {
        int perRun = settings.Options.Epochs * settings.BatchesPerEpoch(train);
        long total = (long)perRun * activations.Count * seeds;
        if (total > int.MaxValue) throw new InvalidInputException($"compare: {activations.Count} activations × {seeds} seeds × {perRun} steps is too many steps for one comparison.");
        return ProgressView.RunMany("compare", (int)total, session =>
        {
            var records = new List<RunRecord>();
            foreach (var (spec, family) in activations)
                for (int s = 0; s < seeds; s++)
                {
                    string act = spec.ToString();
                    var run = settings with { Model = settings.Model.WithActivation(spec), Options = settings.Options with { Seed = (ulong)s } };
                    var trainer = run.BuildTrainer(train);
                    var recorder = store is null ? null
                        : RunRecorder.Start(store, new Nonlinear.Store.RunStart("compare", RunRecorder.Config(run.Describe(), run.Threads, run.Options.Epochs)) { Name = $"{act} seed {s}", Environment = Nonlinear.Store.RunEnvironment.Capture(run.Threads) });
                    List<EpochResult> history;
                    try { history = session.Track($"{act} seed {s}", perRun, obs => trainer.Fit(train, test, obs, recorder is null ? null : t => recorder.Epoch(t.History[^1]))).ToList(); }
                    catch { recorder?.Fail(); throw; }
                    bool diverged = history.Count > 0 && history[^1].Diverged;
                    // A diverged model's outputs are NaN: there is no meaningful dead-unit count.
                    double? dead = diverged ? null : DeadUnits.Fraction(trainer.Model, test);
                    recorder?.Finish(history, null, dead is double d ? new Dictionary<string, double> { ["dead_fraction"] = d } : null);
                    var record = new RunRecord(act, family, (ulong)s, history, dead, trainer.Model.ParameterCount);
                    records.Add(record);
                    if (runLines) session.Line(Describe(record));
                }
            return records;
        }, epochLines: false);
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
