using System.CommandLine;
using System.Diagnostics;
using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Spectre.Console;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear demo`: the main job on bundled data — the same MLP trained with several activations, compared.</summary>
internal static class DemoCommand
{
    private static readonly string[] DefaultActivations = ["relu", "leaky_relu", "elu", "gelu", "silu", "mish", "tanh", "sigmoid"];

    public static Command Create()
    {
        var acts = new Option<string>("--activations") { Description = "Comma-separated activations to compare.", DefaultValueFactory = _ => string.Join(",", DefaultActivations) };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 30 };
        var seeds = new Option<int>("--seeds") { Description = "Runs per activation (seeds 0, 1, …); the table shows mean ± standard deviation.", DefaultValueFactory = _ => 3 };
        var cmd = new Command("demo", "Train the same MLP on the bundled digits with several activations and compare them (< 1 minute).") { acts, epochs, seeds };
        cmd.SetAction(pr => Run(pr.GetValue(acts)!, pr.GetValue(epochs), pr.GetValue(seeds)));
        return cmd;
    }

    private static int Run(string activations, int epochs, int seeds)
    {
        if (seeds < 1 || seeds > 100) throw new ArgumentException($"--seeds must be in [1, 100]; got {seeds}.");
        var acts = activations.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ActivationCatalog.Parse).ToList();
        var options = new TrainOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 0 };
        options.Validate();
        var (train, test) = new RunSettings("digits", null, "mlp:128,128", "relu", Parallelism.MaxThreads, options).LoadData();
        Console.WriteLine($"digits: {train.Count} train / {test.Count} test images (8×8, standardised), MLP {train.FeatureCount}-128-128-{train.NumClasses}, " +
                          $"Adam lr 1e-3, batch 64, {epochs} epochs, seeds 0..{seeds - 1}, {Parallelism.MaxThreads} thread(s)");
        var table = new Table().AddColumns("activation", "test acc (mean ± std)", "best epoch acc", "final train loss", "diverged", "s per run");
        foreach (var act in acts)
        {
            var finals = new List<EpochResult>();
            var best = new List<double>();
            var sw = Stopwatch.StartNew();
            for (int seed = 0; seed < seeds; seed++)
            {
                var o = options with { Seed = (ulong)seed };
                var trainer = new Trainer(ModelSpec.Build("mlp:128,128", train.FeatureCount, train.NumClasses, act, new Rng(o.Seed)), o);
                var history = ProgressView.Run($"{act} seed {seed}", epochs * ((train.Count + 63) / 64), obs => trainer.Fit(train, test, obs), epochLines: false);
                finals.Add(history[^1]);
                best.Add(history.Max(h => h.TestAccuracy));
            }
            var ok = finals.Where(f => !f.Diverged).ToList();
            table.AddRow(Markup.Escape(act.ToString()),
                ok.Count == 0 ? "diverged" : $"{Mean(ok, f => f.TestAccuracy):P2} ± {Std(ok, f => f.TestAccuracy):P2}",
                $"{best.Average():P2}", ok.Count == 0 ? "-" : $"{Mean(ok, f => f.TrainLoss):0.0000}",
                $"{finals.Count - ok.Count}/{seeds}", $"{sw.Elapsed.TotalSeconds / seeds:0.00}");
        }
        AnsiConsole.Write(table);
        return 0;
    }

    private static double Mean(List<EpochResult> r, Func<EpochResult, double> f) => r.Average(f);

    private static double Std(List<EpochResult> r, Func<EpochResult, double> f)
    {
        if (r.Count < 2) return 0;
        double m = r.Average(f);
        return Math.Sqrt(r.Sum(x => (f(x) - m) * (f(x) - m)) / (r.Count - 1));
    }
}
