using System.CommandLine;
using Nonlinear.Data;
using Nonlinear.Kernels;
using Nonlinear.Models;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>`nonlinear eval`: loss and accuracy of a checkpoint on a data set's test split.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by `train --save`.", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files." };
        var data = new Option<string?>("--data") { Description = "Data set to evaluate on (default: the one the checkpoint was trained on)." };
        var testFile = new Option<string?>("--test") { Description = RunOptions.TestHelp + " Default: the --test the checkpoint was trained with, if any." };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("eval", "Evaluate a checkpoint.") { checkpoint, data, testFile, dataDir, threads };
        cmd.SetAction(pr =>
        {
            string path = pr.GetValue(checkpoint)!;
            int t = pr.GetValue(threads);
            if (t < 1 || t > 256) throw new ArgumentException($"--threads must be in [1, 256]; got {t}.");
            Parallelism.MaxThreads = t;
            var (model, optim, meta) = Checkpoint.Load(path);
            var settings = new RunSettings("digits", pr.GetValue(dataDir), ModelSpec.Parse("mlp"), t, new TrainOptions())
                .MergeFromCheckpoint(meta, [], path);
            // Another --data makes the recorded test file meaningless; only a typed --test goes with it.
            settings = pr.GetValue(data) is string d ? settings with { Data = d, Test = pr.GetValue(testFile) }
                : settings with { Test = pr.GetValue(testFile) ?? settings.WithTestFrom(meta).Test };
            var (train, test) = settings.LoadData();
            var trainer = settings.BuildTrainer(train);
            Checkpoint.Restore(trainer, model, optim, meta, path);
            var (loss, acc) = trainer.Evaluate(test);
            Console.WriteLine($"{path}: {settings.Model} {settings.ActivationText} after {trainer.EpochsDone} epoch(s) on {settings.Test ?? settings.Data}: test loss {loss:0.0000}, test accuracy {acc:P2} ({test.Count} samples)");
            return 0;
        });
        return cmd;
    }
}
