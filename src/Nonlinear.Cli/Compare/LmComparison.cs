using System.Diagnostics;
using Nonlinear.Data;
using Nonlinear.Layers.Transformer;
using Nonlinear.Training;

namespace Nonlinear.Cli.Compare;

/// <summary>One validation point of a language-model run.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TrainLoss">Mean training cross-entropy (nats per token) over the steps since the previous point.</param>
/// <param name="ValBpc">Validation bits per character.</param>
internal sealed record LmPoint(int Step, double TrainLoss, double ValBpc);

/// <summary>One language-model run of `compare --task lm`: MLP kind, seed, validation curve, speed.</summary>
internal sealed record LmRun(string Mlp, ulong Seed, IReadOnlyList<LmPoint> Curve, double TokensPerSecond, long Parameters, int Hidden)
{
    /// <summary>A loss stopped being finite (the run stops there).</summary>
    public bool Diverged => Curve.Count > 0 && !(double.IsFinite(Curve[^1].TrainLoss) && double.IsFinite(Curve[^1].ValBpc));
}

/// <summary>The runs of one MLP kind reduced to the table's row (over the seeds that did not diverge).</summary>
internal sealed record LmSummary(string Mlp, int Seeds, int Diverged, double BpcMean, double BpcStd, double TrainLossMean,
    double TokensPerSecond, long Parameters, int Hidden, double[] BpcCurve)
{
    /// <summary>"ok", or "diverged (k of n seeds)".</summary>
    public string Status => Diverged == 0 ? "ok" : $"diverged ({Diverged} of {Seeds} seeds)";

    /// <summary>One row per MLP kind in first-appearance order.</summary>
    public static List<LmSummary> From(IEnumerable<LmRun> runs) => runs.GroupBy(r => r.Mlp).Select(g =>
    {
        var all = g.ToList();
        var ok = all.Where(r => !r.Diverged && r.Curve.Count > 0).ToList();
        var finals = ok.Select(r => r.Curve[^1].ValBpc).ToList();
        int points = ok.Count == 0 ? 0 : ok.Min(r => r.Curve.Count);
        var curve = Enumerable.Range(0, points).Select(i => ok.Average(r => r.Curve[i].ValBpc)).ToArray();
        return new LmSummary(g.Key, all.Count, all.Count - ok.Count, Mean(finals), Std(finals),
            Mean(ok.Select(r => r.Curve[^1].TrainLoss)), Mean(all.Select(r => r.TokensPerSecond)), all[0].Parameters, all[0].Hidden, curve);
    }).ToList();

    /// <summary>Lowest mean bpc first; all-diverged rows last.</summary>
    public static List<LmSummary> Ranked(IEnumerable<LmSummary> rows) =>
        rows.OrderBy(r => double.IsNaN(r.BpcMean) ? 1 : 0).ThenBy(r => double.IsNaN(r.BpcMean) ? 0 : r.BpcMean).ToList();

    private static double Mean(IEnumerable<double> v)
    {
        var l = v.ToList();
        return l.Count == 0 ? double.NaN : l.Average();
    }

    /// <summary>Sample standard deviation (n − 1); 0 for one value.</summary>
    private static double Std(IReadOnlyList<double> v)
    {
        if (v.Count == 0) return double.NaN;
        if (v.Count == 1) return 0;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }
}

/// <summary>
/// Trains the same transformer once per (MLP kind, seed) on one text under one progress bar: every run has the
/// configuration and options given, with only the MLP (and its default hidden width) and the seed changed.
/// </summary>
internal static class LmComparison
{
    /// <param name="config">The transformer; its Mlp and Hidden are replaced per run (Hidden stays if set).</param>
    /// <param name="options">Training options; the seed is replaced by 0 … seeds − 1.</param>
    /// <param name="mlps">The MLP kinds (rows).</param>
    /// <param name="seeds">Runs per kind.</param>
    /// <param name="corpus">The text.</param>
    public static List<LmRun> Run(TransformerConfig config, LanguageModelOptions options, IReadOnlyList<MlpSpec> mlps, int seeds, TextCorpus corpus)
    {
        long total = (long)options.Steps * mlps.Count * seeds;
        if (total > int.MaxValue) throw new InvalidInputException($"compare: {mlps.Count} MLP kinds × {seeds} seeds × {options.Steps} steps is too many steps for one comparison.");
        return ProgressView.RunMany("compare lm", (int)total, session =>
        {
            var runs = new List<LmRun>();
            foreach (var mlp in mlps)
                for (int s = 0; s < seeds; s++)
                {
                    string label = $"{mlp} seed {s}";
                    var trainer = new LanguageModelTrainer(config with { Mlp = mlp }, corpus, options with { Seed = (ulong)s });
                    int tokensPerStep = options.BatchSize * trainer.Model.Config.Context;
                    var curve = new List<LmPoint>();
                    double trainSeconds = 0;
                    session.Track(label, options.Steps, observer =>
                    {
                        observer.EpochStarted(0, 1, options.Steps);
                        double lossSum = 0;
                        int window = 0;
                        var clock = new Stopwatch();
                        while (trainer.Step < options.Steps)
                        {
                            clock.Restart();
                            float loss = trainer.TrainStep();
                            trainSeconds += clock.Elapsed.TotalSeconds;
                            lossSum += loss;
                            window++;
                            observer.BatchFinished(0, trainer.Step, loss, double.NaN);
                            bool diverged = !float.IsFinite(loss);
                            if (diverged || trainer.Step % options.EvalEvery == 0 || trainer.Step == options.Steps)
                            {
                                curve.Add(new LmPoint(trainer.Step, lossSum / window, diverged ? double.NaN : trainer.ValidationBitsPerCharacter()));
                                lossSum = 0;
                                window = 0;
                            }
                            if (diverged) break;
                        }
                        return 0;
                    });
                    var run = new LmRun(mlp.ToString(), (ulong)s, curve, trainer.Step * (double)tokensPerStep / Math.Max(trainSeconds, 1e-9),
                        trainer.Model.ParameterCount, trainer.Model.Config.HiddenWidth);
                    runs.Add(run);
                    session.Line(run.Diverged
                        ? $"{label}: diverged at step {curve[^1].Step}"
                        : FormattableString.Invariant($"{label}: val {curve[^1].ValBpc:0.0000} bpc, train loss {curve[^1].TrainLoss:0.0000} nats, {run.TokensPerSecond:N0} tokens/s, hidden {run.Hidden}, {run.Parameters:N0} parameters"));
                }
            return runs;
        }, epochLines: false);
    }
}
