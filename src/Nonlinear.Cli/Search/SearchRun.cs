using System.Globalization;
using Nonlinear.Cli.Runs;
using Nonlinear.Layers;
using Nonlinear.Store;
using Nonlinear.Tensors;

namespace Nonlinear.Cli.Search;

/// <summary>The settings of one search (the `nonlinear search` options, validated).</summary>
internal sealed record SearchOptions(string Name, SearchSpace Space, int Budget, string Data, string Model, int Epochs, ulong Seed)
{
    public int Population { get; init; } = 20;
    public int Sample { get; init; } = 5;
    public int InFlight { get; init; } = 2;
    public IReadOnlyList<ActivationSpec> Baselines { get; init; } = [];
    public int PromoteTop { get; init; } = 5;
    public int PromoteBaselines { get; init; } = 3;
    public int PromoteSeeds { get; init; } = 3;
    public int PromoteEpochs { get; init; } = 6;
    public IReadOnlyDictionary<string, string> Training { get; init; } = new Dictionary<string, string>();
}

/// <summary>A screened function as reported: where it came from and its fitness.</summary>
internal sealed record Screened(string Formula, string Source, double Accuracy, string? Error);

/// <summary>
/// The search loop: proposes candidates by regularized evolution, discards invalid ones and ones whose behaviour was already
/// seen, writes each batch of screening runs as a study in the run store (so `sweep work` workers anywhere run them), reads
/// the results back as they complete, and stops after <see cref="SearchOptions.Budget"/> screened candidates. The catalog
/// baselines are screened the same way (same data, model, epochs and seed) so the comparison is like for like.
/// </summary>
internal sealed class SearchRun(RunStore store, SearchOptions options, Action<string> log)
{
    private readonly Dictionary<string, string> _seen = [];                // behaviour key → formula
    private readonly Dictionary<long, (List<(Candidate? C, string Formula, string Source)> Batch, HashSet<int> Collected)> _inFlight = [];
    private int _batch, _discarded, _duplicates;

    /// <summary>Every screened function (candidates and baselines), in completion order.</summary>
    public List<Screened> Results { get; } = [];

    /// <summary>Candidates discarded by the probe (invalid or constant) and proposals that repeated a known behaviour.</summary>
    public (int Discarded, int Duplicates) Skipped => (_discarded, _duplicates);

    /// <summary>The studies this search wrote (for status and cleanup).</summary>
    public List<string> Studies { get; } = [];

    /// <summary>Runs until the budget is screened (or <paramref name="cancel"/> is set).</summary>
    public void Run(CancellationToken cancel = default)
    {
        var evo = new RegularizedEvolution(options.Space, options.Population, options.Sample, new Rng(options.Seed));
        if (options.Baselines.Count > 0) Submit(options.Baselines.Select(b => ((Candidate?)null, b.ToString(), "catalog")).ToList(), "baselines");
        int submitted = 0, screened = 0;
        while (!cancel.IsCancellationRequested)
        {
            var batch = new List<(Candidate?, string, string)>();
            while (submitted + batch.Count < options.Budget && InFlightCount + batch.Count < options.InFlight)
            {
                var next = Next(evo);
                if (next is null) break;
                batch.Add(next.Value);
            }
            if (batch.Count > 0)
            {
                Submit(batch, null);
                submitted += batch.Count;
            }
            var collected = Collect();
            foreach (var (c, formula, source, acc, error) in collected)
            {
                Results.Add(new Screened(formula, source, acc, error));
                if (c is Candidate cand)
                {
                    screened++;
                    evo.Report(new Evaluated(cand, formula, acc));
                    log($"[{screened}/{options.Budget}] {acc.ToString("F4", CultureInfo.InvariantCulture)}  {formula}{(error is null ? "" : $"  ({error})")}");
                }
                else log($"[baseline] {acc.ToString("F4", CultureInfo.InvariantCulture)}  {formula}");
            }
            // Nothing running and nothing new to run: the budget is spent, or no valid new behaviour is left to propose.
            if (InFlightCount == 0 && batch.Count == 0 && collected.Count == 0) break;
            Thread.Sleep(150);
        }
    }

    private int InFlightCount => _inFlight.Values.Sum(v => v.Batch.Count - v.Collected.Count);

    // A valid, behaviourally new candidate: mutations that land on an invalid or known function are retried (and counted).
    private (Candidate?, string, string)? Next(RegularizedEvolution evo)
    {
        var proposal = evo.Propose();
        if (proposal is not Candidate c) return null;
        for (int attempt = 0; attempt < 500; attempt++)
        {
            string formula = options.Space.Formula(c);
            var probe = BehaviourProbe.Probe(formula);
            if (probe.Discarded is not null) _discarded++;
            else if (!_seen.TryAdd(probe.Key!, formula)) _duplicates++;
            else return (c, formula, "search");
            c = attempt < 400 ? evo.Retry(c) : evo.Random();
        }
        return null;
    }

    private void Submit(List<(Candidate? C, string Formula, string Source)> batch, string? label)
    {
        string studyName = $"{options.Name}/{label ?? (++_batch).ToString("D4", CultureInfo.InvariantCulture)}";
        var specs = batch.Select(b => ActivationSpec.Parse(b.Formula)).ToList();
        var trials = SweepTrials.Expand([options.Data], [options.Model], specs, 1,
            new Dictionary<string, string>(options.Training) { ["epochs"] = options.Epochs.ToString(CultureInfo.InvariantCulture) })
            .Select(t => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(t) { ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture) })
            .ToList();
        var config = new Dictionary<string, string> { ["search"] = options.Name, ["space"] = options.Space.Name, ["kind"] = label ?? "screening" };
        long id = store.CreateStudy(studyName, config, trials);
        Studies.Add(studyName);
        _inFlight[id] = (batch, []);
    }

    private List<(Candidate?, string, string, double, string?)> Collect()
    {
        var done = new List<(Candidate?, string, string, double, string?)>();
        foreach (var (studyId, (batch, collected)) in _inFlight.ToArray())
        {
            // One trial per batch entry, in the same order (one data set, one model, one seed).
            var trials = store.Trials(studyId);
            for (int i = 0; i < batch.Count; i++)
            {
                if (collected.Contains(i)) continue;
                var t = trials[i];
                if (t.Status == TrialStatus.Completed) done.Add((batch[i].C, batch[i].Formula, batch[i].Source, Accuracy(t), null));
                else if (t.Status == TrialStatus.Failed) done.Add((batch[i].C, batch[i].Formula, batch[i].Source, 0, t.Error ?? "failed"));
                else continue;
                collected.Add(i);
            }
            if (collected.Count == batch.Count) _inFlight.Remove(studyId);
        }
        return done;
    }

    // A diverged run has NaN accuracy in its last epoch; it ranks last.
    private static double Accuracy(Trial t) =>
        t.Result.TryGetValue("test_accuracy", out double a) && double.IsFinite(a) ? a : 0;
}
