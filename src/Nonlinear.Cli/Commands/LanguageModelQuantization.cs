using System.Diagnostics;
using System.Globalization;
using Nonlinear.Data;
using Nonlinear.Export;
using Nonlinear.IO;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// The `lm train` transformer in `quantize`, `eval` and `export`: dynamic int8 quantization of its Linear layers (no
/// calibration; activation scales computed at run time), validation bits per character float vs int8 on the
/// checkpoint's own text and validation windows, the int8 file (<see cref="Format"/>), and ONNX export of the float model.
/// </summary>
internal static class LanguageModelQuantization
{
    /// <summary>Format tag of an int8 language model: the `lm` checkpoint's metadata with int8 Linear weights.</summary>
    public const string Format = "nonlinear-lm-int8/1";

    private const string Prefix = "model.";

    /// <summary>The "format" metadata of a safetensors file, or null.</summary>
    public static string? FormatOf(string path) => SafeTensors.Load(path).Metadata.GetValueOrDefault("format");

    /// <summary>`quantize LM.safetensors --out q.safetensors`: prints float and int8 validation bpc and writes the int8 file.</summary>
    public static int Quantize(string path, string outPath, DynamicActivationScale granularity)
    {
        var loaded = LanguageModelCheckpoint.Load(path);
        var trainer = new LanguageModelTrainer(loaded.Config, TextCorpus.Load(loaded.TextSource), loaded.Options, loaded.Tokenizer);
        LanguageModelCheckpoint.Resume(trainer, loaded);
        var sw = Stopwatch.StartNew();
        double floatBpc = trainer.ValidationBitsPerCharacter();
        double floatSeconds = sw.Elapsed.TotalSeconds;
        using var q = DynamicQuantization.Apply(trainer.Model, granularity);
        sw.Restart();
        double int8Bpc = trainer.ValidationBitsPerCharacter();
        double int8Seconds = sw.Elapsed.TotalSeconds;
        var meta = loaded.Metadata.Where(kv => !kv.Key.StartsWith("optim.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value);
        meta["format"] = Format;
        meta["quantized_from"] = Path.GetFileName(path);
        meta["float_val_bpc"] = floatBpc.ToString("R", CultureInfo.InvariantCulture);
        meta["int8_val_bpc"] = int8Bpc.ToString("R", CultureInfo.InvariantCulture);
        DynamicQuantizedStateFile.Save(outPath, trainer.Model, q.Layers, Prefix, meta);
        long linearWeights = q.Layers.Values.Sum(l => (long)l.Weight.Length);
        long all = trainer.Model.Parameters().Sum(p => (long)p.Length);
        Console.WriteLine($"{path} → {outPath}: dynamic int8 ({q.Layers.Count} Linear layers, per-channel int8 weights, uint8 activations scaled {(granularity == DynamicActivationScale.PerRow ? "per row (token)" : "per tensor")} at run time; no calibration)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  float: val {floatBpc:0.0000} bits per character ({floatSeconds:0.0}s)   int8: val {int8Bpc:0.0000} bpc ({int8Seconds:0.0}s; the int8 path runs inside the float model's hooks)   cost {int8Bpc - floatBpc:+0.0000;-0.0000} bpc"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  parameters: {4.0 * all / 1024:0.0} KiB float → {(4.0 * (all - linearWeights) + linearWeights + 4.0 * q.Layers.Values.Sum(l => l.OutFeatures)) / 1024:0.0} KiB with int8 Linear weights ({new FileInfo(outPath).Length / 1024.0:0.0} KiB file)"));
        return 0;
    }

    /// <summary>`eval --checkpoint q.safetensors` on an int8 language model: its validation bpc through the int8 layers.</summary>
    public static int Evaluate(string path)
    {
        var (tensors, layers, meta) = DynamicQuantizedStateFile.Load(path, Prefix);
        if (meta.GetValueOrDefault("format") != Format)
            throw new InvalidDataException($"{path}: not an int8 language model (metadata 'format' is '{meta.GetValueOrDefault("format") ?? "missing"}'; expected '{Format}').");
        var trainer = Trainer(tensors, meta, path);
        DynamicQuantizationHandle handle;
        // A layer name that is not a Linear of the recorded model, or other widths: the file is corrupt.
        try { handle = DynamicQuantization.Attach(trainer.Model, layers); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}: corrupt int8 language model: {e.Message.ReplaceLineEndings(" ")}", e); }
        using var _ = handle;
        var sw = Stopwatch.StartNew();
        double bpc = trainer.ValidationBitsPerCharacter();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}: int8 {meta.GetValueOrDefault("model")} (dynamic, {layers.Count} Linear layers, {meta.GetValueOrDefault("activation_scale")} activation scales) on {meta.GetValueOrDefault("text")}: val {bpc:0.0000} bits per character ({sw.Elapsed.TotalSeconds:0.0}s; float was {FloatBpc(meta)})"));
        return 0;
    }

    private static string FloatBpc(Dictionary<string, string> meta) =>
        double.TryParse(meta.GetValueOrDefault("float_val_bpc"), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "not recorded";

    /// <summary>`eval --checkpoint lm.safetensors` on a float language model: its validation bpc.</summary>
    public static int EvaluateFloat(string path)
    {
        var loaded = LanguageModelCheckpoint.Load(path);
        var trainer = new LanguageModelTrainer(loaded.Config, TextCorpus.Load(loaded.TextSource), loaded.Options, loaded.Tokenizer);
        LanguageModelCheckpoint.Resume(trainer, loaded);
        double bpc = trainer.ValidationBitsPerCharacter();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}: {loaded.Metadata.GetValueOrDefault("model")} after {trainer.Step} steps on {loaded.TextSource}: val {bpc:0.0000} bits per character"));
        return 0;
    }

    /// <summary>`export lm.safetensors --onnx m.onnx`: the float transformer as ONNX.</summary>
    public static int Export(string path, string onnx, OnnxExportOptions options)
    {
        var loaded = LanguageModelCheckpoint.Load(path);
        var model = LanguageModelCheckpoint.Model(loaded);
        OnnxExportResult r;
        try { r = TransformerExport.Export(model, onnx, options); }
        catch (NotSupportedException e) { throw new InvalidInputException($"{path}: cannot export as ONNX: {e.Message}"); }
        var c = loaded.Config;
        Console.WriteLine($"{onnx}: transformer {loaded.Metadata.GetValueOrDefault("model")} (mlp {c.Mlp}, {c.Position} positions, {c.Norm}), opset {r.Opset}, input input_ids int64 [N, T ≤ {c.Context}], output logits [N, T, {c.Vocab}], {r.Bytes:N0} bytes");
        Console.WriteLine("operators: " + string.Join(", ", r.OpCounts.Select(kv => $"{kv.Key} {kv.Value}")));
        return 0;
    }

    private static LanguageModelTrainer Trainer(Dictionary<string, Tensor> tensors, Dictionary<string, string> meta, string path)
    {
        var asCheckpoint = new Dictionary<string, string>(meta) { ["format"] = LanguageModelCheckpoint.Format };
        var loaded = LanguageModelCheckpoint.FromContents(tensors, asCheckpoint, path);
        var trainer = new LanguageModelTrainer(loaded.Config, TextCorpus.Load(loaded.TextSource), loaded.Options, loaded.Tokenizer);
        var state = tensors.Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[Prefix.Length..], kv => kv.Value);
        try { trainer.Model.LoadStateDict(state); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}: corrupt int8 language model: {e.Message.ReplaceLineEndings(" ")}", e); }
        return trainer;
    }
}
