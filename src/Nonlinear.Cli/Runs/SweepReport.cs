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
            var runs = Records(store, study.Id, g);
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
    /// A study's completed trials as compare rows, in trial order. A curve joins every run that worked on its trial (a
    /// worker that died left the first epochs in an abandoned run), the latest record of each epoch winning.
    /// </summary>
    public static List<RunRecord> Records(RunStore store, long studyId, IEnumerable<Trial> trials)
    {
        var runs = store.ListRuns(new RunFilter { StudyId = studyId, Limit = int.MaxValue }).ToLookup(r => r.TrialId);
        return trials.OrderBy(t => t.Index).Select(t =>
        {
            var epochs = runs[t.Id].OrderBy(r => r.Id)
                .SelectMany(r => store.Epochs(r.Id)).GroupBy(e => e.Epoch).Select(g => g.Last()).OrderBy(e => e.Epoch)
                .Select(e => new EpochResult(e.Epoch, M(e, "train_loss"), M(e, "train_accuracy"), M(e, "test_loss"), M(e, "test_accuracy"), M(e, "seconds"))).ToList();
            return Record(t, epochs, t.Result.TryGetValue("dead_fraction", out var d) ? d : null, (long)t.Result.GetValueOrDefault("parameters"));
        }).ToList();
    }

    /// <summary>A trial with its epochs as a compare row; the family is the activation's (<see cref="Family"/>).</summary>
    public static RunRecord Record(Trial t, IReadOnlyList<EpochResult> epochs, double? deadFraction, long parameters)
    {
        string act = t.Config.GetValueOrDefault("activation", "") is { Length: > 0 } a ? a : "none";
        ulong seed = ulong.Parse(t.Config.GetValueOrDefault("seed", "0"), CultureInfo.InvariantCulture);
        return new RunRecord(act, Family(act), seed, epochs, deadFraction, parameters);
    }

    /// <summary>
    /// The family a compare row shows for an activation as a trial stores it: a catalog entry's family (formula
    /// activations: "formula"), "learnable" for learnable units, "none" for kinds without one. The same rule as
    /// `compare --activations` (<see cref="Commands.CompareCommand.Select"/>).
    /// </summary>
    public static string Family(string activation)
    {
        if (activation is "" or "none") return "none";
        try { return Nonlinear.Layers.ActivationSpec.Parse(activation).Fixed?.Info.Family ?? "learnable"; }
        catch (InvalidInputException) { return "unknown"; }   // a spec an older or newer build wrote; the row still shows
    }

    private static double M(StoredEpoch e, string k) => e.Metrics.TryGetValue(k, out var v) ? v : double.NaN;

    private static string Safe(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
