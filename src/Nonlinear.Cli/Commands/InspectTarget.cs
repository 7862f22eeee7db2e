using System.CommandLine;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Kan;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Kernels;
using Nonlinear.Models;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// What `inspect` and `probe` look at: a checkpoint's model with its weights, the data's train and test splits, and the
/// dotted names of the layers to capture (--layers, or by default every activation module, or every KAN layer).
/// </summary>
internal sealed record InspectTarget(Module Model, Dataset Train, Dataset Test, string Description, IReadOnlyList<string> Layers,
    SpatialLayout Layout = SpatialLayout.Flatten)
{
    /// <summary>The options both commands share.</summary>
    internal sealed class Options
    {
        public readonly Argument<string> CheckpointPath = new("checkpoint") { Description = "A checkpoint written by `train --save`." };
        public readonly Option<string?> Data = new("--data") { Description = "Data set (default: the one the checkpoint was trained on)." };
        public readonly Option<string?> DataDir = new("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files." };
        public readonly Option<string?> Layers = new("--layers") { Description = "Comma-separated dotted module names (default: every activation module; for KAN models every KAN layer)." };
        public readonly Option<int> Batch = new("--batch") { Description = "Inputs per forward pass.", DefaultValueFactory = _ => 256 };
        public readonly Option<int> Threads = new("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };

        public void AddTo(Command cmd)
        {
            cmd.Arguments.Add(CheckpointPath);
            foreach (var o in new Option[] { Data, DataDir, Layers, Batch, Threads }) cmd.Options.Add(o);
        }

        public InspectTarget Load(ParseResult pr)
        {
            int threads = pr.GetValue(Threads);
            if (threads < 1 || threads > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {threads}.");
            int batch = pr.GetValue(Batch);
            if (batch < 1 || batch > 65536) throw new InvalidInputException($"--batch must be in [1, 65536]; got {batch}.");
            Parallelism.MaxThreads = threads;
            string path = pr.GetValue(CheckpointPath)!;
            CliPaths.RequireInputFile("checkpoint", path);
            if (InspectLanguageModel.IsLanguageModel(path)) return InspectLanguageModel.Load(path, pr.GetValue(Data), pr.GetValue(Layers));
            var (weights, optim, meta) = Checkpoint.Load(path);
            var settings = new RunSettings("digits", pr.GetValue(DataDir), ModelSpec.Parse("mlp"), threads, new TrainOptions()).MergeFromCheckpoint(meta, [], path);
            string? data = pr.GetValue(Data);
            settings = data is not null ? settings with { Data = data, Test = null } : settings.WithTestFrom(meta);
            var (train, test) = settings.LoadData();
            var trainer = settings.BuildTrainer(train);
            Checkpoint.Restore(trainer, weights, optim, meta, path);
            var model = trainer.Model;
            var layers = ParseLayers(pr.GetValue(Layers), model);
            return new InspectTarget(model, train, test, $"{path}: {settings.Model} {settings.ActivationText} on {settings.Test ?? settings.Data}", layers);
        }
    }

    /// <summary>The names given, or the default set; an empty list item is refused (unknown names are refused by the capture).</summary>
    internal static IReadOnlyList<string> ParseLayers(string? text, Module model)
    {
        if (text is not null)
        {
            var names = text.Split(',').Select(s => s.Trim()).ToArray();
            if (names.Any(n => n.Length == 0)) throw new InvalidInputException($"--layers: expected comma-separated module names; got '{text}'.");
            return names;
        }
        var all = model.NamedModules().Where(n => n.Name.Length > 0).ToList();
        var acts = all.Where(n => n.Module is ActivationLayer or LearnableActivation).Select(n => n.Name).ToList();
        if (acts.Count == 0) acts = all.Where(n => n.Module is KanLayer).Select(n => n.Name).ToList();
        if (acts.Count == 0)
            throw new InvalidInputException($"the model has no activation or KAN layers to inspect by default; name some with --layers (valid names: {string.Join(", ", all.Select(n => n.Name))}).");
        return acts;
    }
}
