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
        var cmd = new Command("demo", "Train the same MLP on the bundled digits with several activations and compare them (< 1 minute).") { acts, epochs };
        cmd.SetAction(pr => Run(pr.GetValue(acts)!, pr.GetValue(epochs)));
        return cmd;
    }

    private static int Run(string activations, int epochs)
    {
        var acts = activations.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ActivationCatalog.Parse).ToList();
        var options = new TrainOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 0 };
        options.Validate();
        var (train, test) = new RunSettings("digits", null, "mlp:128,128", "relu", Parallelism.MaxThreads, options).LoadData();
        Console.WriteLine($"digits: {train.Count} train / {test.Count} test images (8×8), MLP {train.FeatureCount}-128-128-{train.NumClasses}, Adam lr 1e-3, batch 64, {epochs} epochs, seed 0, {Parallelism.MaxThreads} thread(s)");
        var table = new Table().AddColumns("activation", "test acc", "best test acc", "final train loss", "time (s)");
        foreach (var act in acts)
        {
            var model = ModelSpec.Build("mlp:128,128", train.FeatureCount, train.NumClasses, act, new Rng(options.Seed));
            var trainer = new Trainer(model, options);
            var sw = Stopwatch.StartNew();
            var history = ProgressView.Run(act.ToString(), epochs * ((train.Count + 63) / 64), obs => trainer.Fit(train, test, obs), epochLines: false);
            var last = history[^1];
            table.AddRow(Markup.Escape(act.ToString()), last.Diverged ? "diverged" : $"{last.TestAccuracy:P2}", $"{history.Max(h => h.TestAccuracy):P2}",
                $"{last.TrainLoss:0.0000}", $"{sw.Elapsed.TotalSeconds:0.00}");
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
