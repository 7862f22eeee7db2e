using System.CommandLine;
using Nonlinear.Models;
using Nonlinear.Cli.Compare;
using Nonlinear.Kernels;
using Nonlinear.Training;
using Spectre.Console;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear demo`: the main job on bundled data — `compare` with a fixed small setup on digits, table only.</summary>
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
        if (seeds < 1 || seeds > 100) throw new InvalidInputException($"--seeds must be in [1, 100]; got {seeds}.");
        var acts = CompareCommand.Select(activations, family: null);
        var settings = new RunSettings("digits", null, ModelSpec.Parse("mlp:128,128"), Parallelism.MaxThreads,
            new TrainOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, Seed = 0 });
        settings.Validate();
        var (train, test) = settings.LoadData();
        Console.WriteLine($"digits: {train.Count} train / {test.Count} test images (8×8, standardised), MLP {train.FeatureCount}-128-128-{train.NumClasses}, " +
                          $"Adam lr 1e-3, batch 64, {epochs} epochs, seeds 0..{seeds - 1}, {Parallelism.MaxThreads} thread(s)");
        // A comparison runs as a local sweep; the demo keeps nothing, so its store is a temporary one.
        using var store = ComparisonStore.Open(null, Path.GetTempPath());
        var runs = ComparisonRunner.Run(settings, acts, seeds, (train, test), new ComparisonRunner.Plan(store.Store, "demo", store.Checkpoints, RunLines: false));
        AnsiConsole.Write(ComparisonReport.Table(ComparisonReport.Ranked(ActivationSummary.From(runs))));
        return 0;
    }
}
