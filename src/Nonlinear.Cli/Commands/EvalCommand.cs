using System.CommandLine;
using Nonlinear.Kernels;
using Nonlinear.Models;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear eval`: loss and accuracy on a data set's test split, of a checkpoint (which describes its own model) or
/// of plain weights (a safetensors state dict, e.g. saved by PyTorch) for a model given with --model and --activation.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A checkpoint written by `train --save` (it names its model and data)." };
        var weights = new Option<string?>("--weights") { Description = "Plain weights (safetensors state dict, e.g. torch's save_file(model.state_dict())) for the model given by --model and --activation." };
        var model = new Option<string?>("--model") { Description = "With --weights: the model, as for `train --model`." };
        var activation = new Option<string?>("--activation") { Description = "With --weights: the activation, as for `train --activation` (default relu for mlp and cnn)." };
        var map = TrainCommand.KeyMapOption();
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files." };
        var testFile = new Option<string?>("--test") { Description = RunOptions.TestHelp + " Default: the --test the checkpoint was trained with, if any." };
        var data = new Option<string?>("--data") { Description = "Data set to evaluate on (default: the one the checkpoint was trained on; digits with --weights)." };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("eval", "Evaluate a checkpoint or plain weights.") { checkpoint, weights, model, activation, map, data, testFile, dataDir, threads };
        cmd.SetAction(pr =>
        {
            int t = pr.GetValue(threads);
            if (t < 1 || t > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {t}.");
            string? ckpt = pr.GetValue(checkpoint), plain = pr.GetValue(weights);
            if ((ckpt is null) == (plain is null)) throw new InvalidInputException("give exactly one of --checkpoint FILE or --weights FILE.");
            bool typedActivation = pr.GetValue(activation) is not null;
            if (ckpt is not null && (pr.GetValue(model) is not null || typedActivation || pr.GetValue(map) is { Length: > 0 }))
                throw new InvalidInputException("--model, --activation and --map go with --weights; a --checkpoint names its own model.");
            Parallelism.MaxThreads = t;
            return ckpt is not null
                ? FromCheckpoint(ckpt, pr.GetValue(data), pr.GetValue(testFile), pr.GetValue(dataDir), t)
                : FromWeights(plain!, pr.GetValue(model) ?? throw new InvalidInputException("--weights needs --model (e.g. --model mlp:256,256)."),
                    pr.GetValue(activation), pr.GetValue(map) ?? [], pr.GetValue(data) ?? "digits", pr.GetValue(testFile), pr.GetValue(dataDir), t);
        });
        return cmd;
    }

    private static int FromCheckpoint(string path, string? data, string? testFile, string? dataDir, int threads)
    {
        CliPaths.RequireInputFile("--checkpoint", path);
        switch (LanguageModelQuantization.FormatOf(path))
        {
            case LanguageModelCheckpoint.Format: return LanguageModelQuantization.EvaluateFloat(path);
            case LanguageModelQuantization.Format: return LanguageModelQuantization.Evaluate(path);
        }
        if (QuantizeCommand.TryEvaluate(path, data, testFile, dataDir, threads) is int quantized) return quantized;
        var (model, optim, meta) = Checkpoint.Load(path);
        var settings = new RunSettings("digits", dataDir, ModelSpec.Parse("mlp"), threads, new TrainOptions()).MergeFromCheckpoint(meta, [], path);
        // Another --data makes the recorded test file meaningless; only a typed --test goes with it.
        settings = data is not null ? settings with { Data = data, Test = testFile }
            : settings with { Test = testFile ?? settings.WithTestFrom(meta).Test };
        var (train, test) = settings.LoadData();
        var trainer = settings.BuildTrainer(train);
        Checkpoint.Restore(trainer, model, optim, meta, path);
        var (loss, acc) = trainer.Evaluate(test);
        string qat = settings.Qat is null ? "" : $" (--qat {settings.Qat}, fake-quantized float)";
        Console.WriteLine($"{path}: {settings.Model} {settings.ActivationText}{qat} after {trainer.EpochsDone} epoch(s) on {settings.Test ?? settings.Data}: test loss {loss:0.0000}, test accuracy {acc:P2} ({test.Count} samples)");
        if (settings.Qat is { IsInt8: true })
        {
            // What the checkpoint becomes on the int8 kernels (`quantize` writes the same model to a file).
            var q = Nonlinear.Quantization.Qat.QatConverter.ToQuantizedModel(trainer.Model);
            var (qLoss, qAcc) = QuantizeCommand.Evaluate(q, test);
            Console.WriteLine($"{path}: int8 (learned ranges, int8 kernels): test loss {qLoss:0.0000}, test accuracy {qAcc:P2} ({(qAcc - acc) * 100:+0.00;-0.00} pp)");
        }
        return 0;
    }

    private static int FromWeights(string path, string model, string? activation, string[] maps, string data, string? testFile, string? dataDir, int threads)
    {
        var settings = new RunSettings(data, dataDir, ModelSpec.Parse(model, activation), threads, new TrainOptions()) { Test = testFile };
        settings.Validate();
        var (train, test) = settings.LoadData();
        var trainer = settings.BuildTrainer(train);
        TrainCommand.LoadWeights(trainer.Model, "--weights", path, maps);
        var (loss, acc) = trainer.Evaluate(test);
        Console.WriteLine($"{path}: {settings.Model} {settings.ActivationText} on {testFile ?? data}: test loss {loss:0.0000}, test accuracy {acc:P2} ({test.Count} samples)");
        return 0;
    }
}
