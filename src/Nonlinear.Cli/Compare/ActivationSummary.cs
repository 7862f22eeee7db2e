namespace Nonlinear.Cli.Compare;

/// <summary>
/// The runs of one activation reduced to what the table shows. Accuracy, loss, time and dead units are over the seeds
/// that did not diverge (NaN when all diverged); <see cref="Diverged"/> counts the others, so nothing is dropped silently.
/// There is no "best epoch" figure: the only held-out data is the test split, and an epoch picked by its test
/// accuracy reports the test set's maximum, not an estimate of accuracy on new data. The final epoch is reported.
/// </summary>
internal sealed record ActivationSummary(
    string Activation, string Family, int Seeds, int Diverged,
    double AccuracyMean, double AccuracyStd,
    double TrainLossMean, double TestLossMean, double SecondsPerEpoch, double? DeadFractionMean,
    double[] AccuracyCurve, long Parameters)
{
    /// <summary>"ok", or "diverged (k of n seeds)".</summary>
    public string Status => Diverged == 0 ? "ok" : $"diverged ({Diverged} of {Seeds} seeds)";

    /// <summary>One summary per activation, in the order the activations first appear in <paramref name="runs"/>.</summary>
    public static List<ActivationSummary> From(IEnumerable<RunRecord> runs) =>
        runs.GroupBy(r => r.Activation).Select(Summarize).ToList();

    private static ActivationSummary Summarize(IGrouping<string, RunRecord> g)
    {
        var all = g.ToList();
        var ok = all.Where(r => !r.Diverged && r.History.Count > 0).ToList();
        var finals = ok.Select(r => r.History[^1]).ToList();
        // Time per epoch: diverged runs stop inside an epoch, so only complete runs are timed unless none completed.
        var timed = (ok.Count > 0 ? ok : all).SelectMany(r => r.History).Select(h => h.Seconds).ToList();
        var dead = ok.Where(r => r.DeadFraction.HasValue).Select(r => r.DeadFraction!.Value).ToList();
        int epochs = ok.Count == 0 ? 0 : ok.Min(r => r.History.Count);
        var curve = Enumerable.Range(0, epochs).Select(e => ok.Average(r => r.History[e].TestAccuracy)).ToArray();
        return new ActivationSummary(g.Key, all[0].Family, all.Count, all.Count - ok.Count,
            Mean(finals.Select(f => f.TestAccuracy)), Std(finals.Select(f => f.TestAccuracy)),
            Mean(finals.Select(f => f.TrainLoss)), Mean(finals.Select(f => f.TestLoss)),
            Mean(timed), dead.Count == 0 ? null : dead.Average(), curve, all[0].Parameters);
    }

    private static double Mean(IEnumerable<double> v)
    {
        var l = v.ToList();
        return l.Count == 0 ? double.NaN : l.Average();
    }

    /// <summary>Sample standard deviation (n − 1); 0 for one value.</summary>
    private static double Std(IEnumerable<double> v)
    {
        var l = v.ToList();
        if (l.Count == 0) return double.NaN;
        if (l.Count == 1) return 0;
        double m = l.Average();
        return Math.Sqrt(l.Sum(x => (x - m) * (x - m)) / (l.Count - 1));
    }
}
