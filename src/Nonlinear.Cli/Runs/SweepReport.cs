using System.Globalization;
using Nonlinear.Cli.Compare;
using Nonlinear.Store;
using Nonlinear.Training;
using Spectre.Console;

namespace Nonlinear.Cli.Runs;

/// <summary>A study's completed trials as `compare` reports them, one report per data × model.</summary>
internal static class SweepReport
{
    public static int Write(RunStore store, Study study, string output)
    {
        var trials = store.Trials(study.Id);
        var done = trials.Where(t => t.Status == TrialStatus.Completed).ToList();
        if (done.Count == 0) throw new InvalidInputException($"--name: study '{study.Name}' has no completed trial yet ({trials.Count} trial(s); see sweep status).");
        var groups = done.GroupBy(t => (Data: t.Config.GetValueOrDefault("data", ""), Model: t.Config.GetValueOrDefault("model", ""))).ToList();
        foreach (var g in groups)
        {
            string dir = groups.Count == 1 ? output : Path.Combine(output, Safe($"{g.Key.Data}__{g.Key.Model}"));
            var runs = g.Select(t => Record(store, t)).ToList();
            var rows = ComparisonReport.Ranked(ActivationSummary.From(runs));
            Console.WriteLine($"{g.Key.Data}, {g.Key.Model}:");
            Screen.Write(ComparisonReport.Table(rows));
            var settings = new Dictionary<string, string>(g.First().Config) { ["study"] = study.Name };
            settings.Remove("activation");
            settings.Remove("seed");
            ComparisonReport.WriteAll(dir, settings, rows, runs);
            Console.WriteLine($"wrote {dir}");
        }
        if (done.Count < trials.Count) Console.WriteLine($"{trials.Count - done.Count} of {trials.Count} trial(s) are not completed and are not in the report.");
        return 0;
    }

    /// <summary>
    /// A trial as a compare row. Its curve joins every run that worked on it (a worker that died left the first
    /// epochs in an abandoned run), the latest record of each epoch winning.
    /// </summary>
    private static RunRecord Record(RunStore store, Trial t)
    {
        var epochs = store.ListRuns(new RunFilter { StudyId = t.StudyId }).Where(r => r.TrialId == t.Id).OrderBy(r => r.Id)
            .SelectMany(r => store.Epochs(r.Id)).GroupBy(e => e.Epoch).Select(g => g.Last()).OrderBy(e => e.Epoch)
            .Select(e => new EpochResult(e.Epoch, M(e, "train_loss"), M(e, "train_accuracy"), M(e, "test_loss"), M(e, "test_accuracy"), M(e, "seconds"))).ToList();
        string act = t.Config.GetValueOrDefault("activation", "") is { Length: > 0 } a ? a : "none";
        string family = Nonlinear.Activations.ActivationCatalog.TryGet(act, out var entry) ? entry.Info.Family
            : Nonlinear.Layers.ActivationSpec.IsFormulaText(act) ? "formula"
            : Nonlinear.Layers.ActivationRegistry.TryGet(act.Split('(')[0], out var named) && named.Fixed is { } f ? f.Info.Family : "learnable";
        ulong seed = ulong.Parse(t.Config.GetValueOrDefault("seed", "0"), CultureInfo.InvariantCulture);
        return new RunRecord(act, family, seed, epochs, t.Result.TryGetValue("dead_fraction", out var d) ? d : null, (long)t.Result.GetValueOrDefault("parameters"));
    }

    private static double M(StoredEpoch e, string k) => e.Metrics.TryGetValue(k, out var v) ? v : double.NaN;

    private static string Safe(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
