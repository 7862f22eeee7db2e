using System.CommandLine;
using Nonlinear.Export;
using Nonlinear.Models;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear export CHECKPOINT --onnx model.onnx [--opset N]`: rebuilds the checkpoint's model (as `eval` does) and
/// writes it as ONNX; prints the operator counts and the file size. An `lm train` checkpoint goes to
/// <see cref="LanguageModelQuantization.Export"/>.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint written by `train --save` (it names its model and data), an int8 MLP from `quantize` (exported in QDQ form), or an `lm train` checkpoint (the float transformer: input_ids [N, T] → logits)." };
        var onnx = new Option<string?>("--onnx") { Description = "The ONNX file to write (e.g. model.onnx)." };
        var opset = new Option<int>("--opset")
        {
            Description = $"ai.onnx opset, {OnnxExportOptions.MinOpset}–{OnnxExportOptions.MaxOpset} (default {OnnxExportOptions.DefaultOpset}; below 20 GELU is written with Erf).",
            DefaultValueFactory = _ => OnnxExportOptions.DefaultOpset,
        };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files (for a checkpoint trained on them)." };
        var cmd = new Command("export", "Export a checkpoint's model as ONNX (checked against ONNX Runtime by the test suite).") { checkpoint, onnx, opset, dataDir };
        cmd.SetAction(pr => Run(pr.GetValue(checkpoint)!, pr.GetValue(onnx), pr.GetValue(opset), pr.GetValue(dataDir)));
        return cmd;
    }

    private static int Run(string path, string? onnx, int opset, string? dataDir)
    {
        if (onnx is null) throw new InvalidInputException("export needs --onnx FILE (e.g. --onnx model.onnx).");
        CliPaths.RequireInputFile("checkpoint", path);
        CliPaths.RequireOutputFile("--onnx", onnx, ".onnx", ("checkpoint", path));
        var options = new OnnxExportOptions { Opset = opset }; // range checked by the exporter (InvalidInputException)
        switch (LanguageModelQuantization.FormatOf(path))
        {
            case LanguageModelCheckpoint.Format: return LanguageModelQuantization.Export(path, onnx, options);
            case LanguageModelQuantization.Format:
                throw new InvalidInputException($"{path} is an int8 language model; export writes the float transformer: give the `lm train` checkpoint it was quantized from.");
        }
        if (Nonlinear.Quantization.QuantizedModelFile.IsQuantized(Nonlinear.IO.SafeTensors.Load(path).Metadata))
        {
            var (q, _) = Nonlinear.Quantization.QuantizedModelFile.Load(path);
            OnnxExportResult qr;
            try { qr = QdqExporter.Export(q, onnx, options); }
            catch (NotSupportedException e) { throw new InvalidInputException($"{path}: cannot export as QDQ ONNX: {e.Message}"); }
            Console.WriteLine($"{onnx}: int8 QDQ ({q.Layers.Count} layers), opset {qr.Opset}, input [N, {q.InFeatures}], output [N, {q.OutFeatures}], {qr.Bytes:N0} bytes");
            Console.WriteLine("operators: " + string.Join(", ", qr.OpCounts.Select(kv => $"{kv.Key} {kv.Value}")));
            return 0;
        }
        var (model, optim, meta) = Checkpoint.Load(path);
        var settings = new RunSettings("digits", dataDir, ModelSpec.Parse("mlp"), 1, new TrainOptions()).MergeFromCheckpoint(meta, [], path);
        settings = settings with { Test = settings.WithTestFrom(meta).Test };
        // The model's input width comes from its data set, as for eval.
        var (train, _) = settings.LoadData();
        var trainer = settings.BuildTrainer(train);
        Checkpoint.Restore(trainer, model, optim, meta, path);
        OnnxExportResult r;
        try { r = OnnxExporter.Export(trainer.Model, [train.FeatureCount], onnx, options); }
        catch (NotSupportedException e) { throw new InvalidInputException($"{path}: cannot export as ONNX: {e.Message}"); }
        Console.WriteLine($"{onnx}: {settings.Model} {settings.ActivationText}, opset {r.Opset}, input [N, {train.FeatureCount}], output [N, {string.Join(", ", r.OutputShape)}], {r.Bytes:N0} bytes");
        Console.WriteLine("operators: " + string.Join(", ", r.OpCounts.Select(kv => $"{kv.Key} {kv.Value}")));
        return 0;
    }
}
