using System.CommandLine;
using Nonlinear.Cli.Runs;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Sae;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear sae train|eval`: sparse autoencoders (and transcoders) on a checkpoint's activations at one layer,
/// saved in the SAELens layout; eval prints reconstruction, sparsity, downstream loss recovered and error analysis.
/// </summary>
internal static class SaeCommand
{
    public static Command Create()
    {
        var cmd = new Command("sae", "Train and evaluate sparse autoencoders on a model's activations (SAELens-layout folders).");
        cmd.Subcommands.Add(TrainSub());
        cmd.Subcommands.Add(EvalSub());
        return cmd;
    }

    private static Option<string?> DataOption() => new("--data") { Description = "Data set (default: the one the checkpoint was trained on)." };
    private static Option<string?> DataDirOption() => new("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files." };
    private static Option<int> ThreadsOption() => new("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };

    private static Command TrainSub()
    {
        var checkpoint = new Argument<string>("CHECKPOINT") { Description = "A checkpoint written by `train --save`." };
        var data = DataOption();
        var dataDir = DataDirOption();
        var layer = new Option<string>("--layer") { Description = "Dotted module name whose output the SAE reads (e.g. 1 for the first hidden activation of mlp:256).", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder to write cfg.json and sae_weights.safetensors into.", Required = true };
        var transcoder = new Option<bool>("--transcoder") { Description = "Train a transcoder: the layer's input → its output (Dunefsky et al. 2024)." };
        var threads = ThreadsOption();
        var flags = new SaeTrainFlags();
        var cmd = new Command("train", "Train an SAE on a checkpoint's activations at --layer (defaults: SaeTrainOptions.Defaults).")
            { checkpoint, data, dataDir, layer, outDir, transcoder, threads };
        flags.AddTo(cmd);
        cmd.SetAction(pr =>
        {
            SetThreads(pr.GetValue(threads));
            var options = flags.Bind(pr);
            return Train(pr.GetValue(checkpoint)!, pr.GetValue(data), pr.GetValue(dataDir), pr.GetValue(layer)!, pr.GetValue(outDir)!, options, pr.GetValue(transcoder), pr.GetValue(threads));
        });
        return CommandRun.Record(cmd, "sae", pr => pr.GetValue(outDir));
    }

    /// <summary>The options `sae train ARGS` would train with (tests: the CLI adds nothing to the library's defaults).</summary>
    internal static SaeTrainOptions ParseTrainOptions(params string[] args)
    {
        var flags = new SaeTrainFlags();
        var cmd = new Command("train") { new Argument<string>("CHECKPOINT") };
        flags.AddTo(cmd);
        var pr = cmd.Parse(args);
        if (pr.Errors.Count > 0) throw new InvalidInputException(string.Join("; ", pr.Errors.Select(e => e.Message)));
        return flags.Bind(pr);
    }

    private static Command EvalSub()
    {
        var dir = new Argument<string>("DIR") { Description = "An SAE folder (cfg.json + sae_weights.safetensors)." };
        var checkpoint = new Option<string>("--checkpoint") { Description = "The checkpoint whose activations the SAE reads.", Required = true };
        var data = DataOption();
        var dataDir = DataDirOption();
        var layer = new Option<string?>("--layer") { Description = "Module name (default: the folder's hook_name)." };
        var latents = new Option<string?>("--latents") { Description = "Latents to draw (comma list, e.g. 0,5,9): a PNG each with its top-activating inputs (image data)." };
        var top = new Option<int>("--top") { Description = "Inputs per latent PNG.", DefaultValueFactory = _ => 16 };
        var outDir = new Option<string?>("--out") { Description = "Folder for the PNGs (default: DIR)." };
        var threads = ThreadsOption();
        var cmd = new Command("eval", "Evaluate an SAE on the test split: L0, FVU, dead/dense latents, loss recovered, error analysis.")
            { dir, checkpoint, data, dataDir, layer, latents, top, outDir, threads };
        cmd.SetAction(pr =>
        {
            SetThreads(pr.GetValue(threads));
            int t = pr.GetValue(top);
            if (t < 1 || t > 400) throw new InvalidInputException($"--top must be in [1, 400]; got {t}.");
            return Eval(pr.GetValue(dir)!, pr.GetValue(checkpoint)!, pr.GetValue(data), pr.GetValue(dataDir), pr.GetValue(layer),
                SaeLatentImages.ParseLatents(pr.GetValue(latents)), t, pr.GetValue(outDir), pr.GetValue(threads));
        });
        return cmd;
    }

    private static void SetThreads(int t)
    {
        if (t < 1 || t > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {t}.");
        Parallelism.MaxThreads = t;
    }

    /// <summary>A loaded model, its data, and how the SAE reads and scores it (token by token for `lm train` checkpoints).</summary>
    private sealed record Target(Module Model, Dataset Train, Dataset Test, SpatialLayout Layout, SpliceScoring Scoring);

    private static Target LoadModel(string path, string? data, string? dataDir, int threads)
    {
        CliPaths.RequireInputFile("CHECKPOINT", path);
        if (InspectLanguageModel.IsLanguageModel(path))
        {
            // Like inspect: windows of the text the model was trained on, its residual stream or MLP units one row per token.
            if (data is not null)
                throw new InvalidInputException($"--data: an SAE on a language-model checkpoint reads windows of the text it was trained on; got '{data}'.");
            var (_, lm, train, validation) = InspectLanguageModel.LoadWindows(path);
            return new Target(lm, train, validation, SpatialLayout.TokensAsRows, SpliceScoring.NextToken);
        }
        var (model, optim, meta) = Checkpoint.Load(path);
        var settings = new RunSettings("digits", dataDir, ModelSpec.Parse("mlp"), threads, new TrainOptions()).MergeFromCheckpoint(meta, [], path);
        settings = data is not null ? settings with { Data = data, Test = null } : settings with { Test = settings.WithTestFrom(meta).Test };
        var (trainSet, test) = settings.LoadData();
        var trainer = settings.BuildTrainer(trainSet);
        Checkpoint.Restore(trainer, model, optim, meta, path);
        return new Target(trainer.Model, trainSet, test, SpatialLayout.Flatten, SpliceScoring.Classification);
    }

    private static (Tensor X, Tensor? Y) Capture(Target t, Dataset data, string layer, bool transcoder) =>
        transcoder ? SaeData.CaptureInputOutput(t.Model, data, layer, layout: t.Layout) : (SaeData.Capture(t.Model, data, layer, layout: t.Layout), null);

    private static Module Sub(Module model, string layer) =>
        UserError.AtBoundary("--layer", () => model.GetSubmodule(layer));

    private static int Train(string ckpt, string? data, string? dataDir, string layer, string outDir, SaeTrainOptions options, bool transcoder, int threads)
    {
        var target = LoadModel(ckpt, data, dataDir, threads);
        var (train, test) = (target.Train, target.Test);
        Sub(target.Model, layer);
        var (x, captured) = Capture(target, train, layer, transcoder);
        var y = captured ?? x;
        Console.WriteLine($"captured {x.Size(0)} × {x.Size(1)} activations at '{layer}'{(transcoder ? $" (→ {y.Size(1)} outputs)" : "")} on {train.Name}");
        int logs = options.Steps / Math.Max(1, options.Steps / 50) + 1;
        CommandRun.Current?.Checkpoint(outDir);
        CommandRun.Current?.Begin(RunConfigs.Sae(train.Name, options, x.Size(1)));
        var sae = ProgressView.RunMany($"sae {options.Architecture.Name}", logs, session => session.Track($"sae {options.Architecture.Name}", logs, observer =>
            SaeTrainer.Train(x, options, transcoder ? y : null, log =>
            {
                observer.BatchFinished(1, log.Step, log.Loss, double.NaN);
                CommandRun.Current?.Step(log.Step, new Dictionary<string, double> { ["loss"] = log.Loss, ["reconstruction"] = log.Reconstruction, ["sparsity"] = log.Sparsity, ["auxiliary"] = log.Auxiliary, ["l0"] = log.L0, ["dead"] = log.Dead });
                if (log.Step % Math.Max(1, options.Steps / 10) == 0 || log.Step == options.Steps)
                    session.Line($"step {log.Step,6}  loss {log.Loss,9:0.0000}  recon {log.Reconstruction,9:0.0000}  sparsity {log.Sparsity,8:0.0000}  aux {log.Auxiliary,8:0.0000}  L0 {log.L0,7:0.00}  dead {log.Dead}");
            })), epochLines: false);
        sae.HookName = layer;
        SaeFiles.Save(sae, outDir);
        var (xt, yt) = Capture(target, test, layer, transcoder);
        var ev = SaeMetrics.Evaluate(sae, xt, yt);
        CommandRun.Current?.Final(new Dictionary<string, double> { ["test_l0"] = ev.L0, ["test_fvu"] = ev.Fvu, ["test_mse"] = ev.Mse, ["test_dead"] = ev.Dead, ["test_dense"] = ev.Dense });
        Console.WriteLine($"{sae.Config} on {test.Name} ({ev.Samples} samples): L0 {ev.L0:0.00}  FVU {ev.Fvu:0.0000}  MSE {ev.Mse:0.000000}  dead {ev.Dead} ({ev.DeadFraction:P1})  dense {ev.Dense}");
        Console.WriteLine($"saved {Path.Combine(outDir, SaeFiles.ConfigFile)} and {SaeFiles.WeightsFile}");
        return 0;
    }

    private static int Eval(string dir, string ckpt, string? data, string? dataDir, string? layer, int[] latents, int top, string? outDir, int threads)
    {
        var sae = SaeFiles.Load(dir);
        layer ??= sae.HookName ?? throw new InvalidInputException($"{dir} names no hook_name; give --layer.");
        var target = LoadModel(ckpt, data, dataDir, threads);
        var test = target.Test;
        if (latents.Length > 0 && target.Scoring == SpliceScoring.NextToken)
            throw new InvalidInputException($"--latents draws image inputs; {ckpt} is a language model (its inputs are tokens). Drop --latents.");
        Sub(target.Model, layer);
        var cfg = sae.Config;
        var (xt, yt) = Capture(target, test, layer, cfg.IsTranscoder);
        if (xt.Size(1) != cfg.DIn) throw new InvalidInputException($"layer '{layer}' has width {xt.Size(1)}; the SAE in {dir} reads d_in = {cfg.DIn}.");
        var ev = SaeMetrics.Evaluate(sae, xt, yt);
        var splice = test.Labels is null ? null : SaeSplice.Evaluate(target.Model, test, layer, sae, scoring: target.Scoring);
        var share = SaeErrorAnalysis.Analyze(sae, xt, yt);
        Console.WriteLine($"{sae.Config} at '{layer}' on {test.Name} ({ev.Samples} samples)");
        Console.WriteLine($"  L0                     {ev.L0,10:0.00}");
        Console.WriteLine($"  FVU                    {ev.Fvu,10:0.0000}");
        Console.WriteLine($"  MSE                    {ev.Mse,10:0.000000}");
        Console.WriteLine($"  dead (never active)    {ev.Dead,10}  ({ev.DeadFraction:P2})");
        Console.WriteLine($"  dense (> {SaeMetrics.DenseAbove:P0} of inputs) {ev.Dense,7}");
        if (splice is not null)
        {
            Console.WriteLine($"  test loss / accuracy: clean {splice.Clean.Loss:0.0000} / {splice.Clean.Accuracy:P2}, with SAE {splice.Spliced.Loss:0.0000} / {splice.Spliced.Accuracy:P2}, " +
                $"zero-ablated {splice.ZeroAblated.Loss:0.0000} / {splice.ZeroAblated.Accuracy:P2}, mean-ablated {splice.MeanAblated.Loss:0.0000} / {splice.MeanAblated.Accuracy:P2}");
            Console.WriteLine($"  loss recovered (CE loss score) vs zero {splice.LossRecoveredVsZero:0.0000}, vs mean {splice.LossRecoveredVsMean:0.0000}");
        }
        Console.WriteLine($"  error linearly predictable from the input (ridge, held-out {share.TestSamples}): variance {share.VarianceShare:P1}, norm² {share.NormShare:P1}");
        Console.WriteLine("  feature density (live latents per log10 bin): " +
            string.Join("  ", ev.DensityHistogram().Where(b => b.Count > 0).Select(b => $"[{b.Low:0.0},{b.High:0.0}) {b.Count}")));
        if (latents.Length > 0)
            SaeLatentImages.Write(sae, xt, test, latents, top, outDir ?? dir);
        return 0;
    }
}
