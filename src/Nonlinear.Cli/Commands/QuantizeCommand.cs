using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nonlinear.Data;
using Nonlinear.IO;
using Nonlinear.Kernels;
using Nonlinear.Losses;
using Nonlinear.Models;
using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear quantize CHECKPOINT --out q.safetensors`: post-training int8 quantization of a trained MLP or CNN,
/// calibrated on the first --calib training rows; prints float vs int8 test accuracy, size and speed. An `lm train`
/// checkpoint is quantized dynamically instead (<see cref="LanguageModelQuantization"/>).
/// `eval --checkpoint q.safetensors` runs a quantized file through the int8 kernels (<see cref="TryEvaluate"/>).
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint written by `train --save` (an MLP or a CNN: Linear, Conv2d, MaxPool2d, activations, learnable units, BatchNorm1d) or by `lm train` (dynamic int8)." };
        var output = new Option<string>("--out") { Description = "The quantized model file (.safetensors).", Required = true };
        var calib = new Option<int>("--calib") { Description = "Calibration rows: the first N of the training split.", DefaultValueFactory = _ => 1000 };
        var method = new Option<string>("--method")
        {
            Description = "Activation range calibration: " + string.Join("; ", CalibrationMethods.All.Select(m => $"{m.Name} = {m.Description}")) + ".",
            DefaultValueFactory = _ => "minmax",
        };
        var equalize = new Option<bool>("--equalize") { Description = "Cross-layer equalization first (Nagel et al. 2019; positively homogeneous activations only)." };
        var noBias = new Option<bool>("--no-bias-correction") { Description = "Skip the empirical bias correction." };
        var reduceRange = new Option<bool>("--reduce-range")
        {
            Description = "7-bit codes (0..127) for the inputs of Linear layers, as PyTorch's reduce_range: the int8 GEMM then runs AVX2's u8·s8 vpmaddubsw route (recorded in the file).",
        };
        var data = new Option<string?>("--data") { Description = "Data set to calibrate and test on (default: the checkpoint's)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files." };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var bench = new Option<bool>("--bench") { Description = "Also time float vs int8 inference at batch 1 and 1024 (interleaved rounds, medians)." };
        var activationScale = new Option<string>("--activation-scale")
        {
            Description = "For an `lm train` checkpoint (dynamic quantization, no calibration): per-row (one uint8 scale per token, default) or per-tensor (PyTorch's quantize_dynamic).",
            DefaultValueFactory = _ => "per-row",
        };
        var cmd = new Command("quantize", "Post-training int8 quantization of a checkpoint (static for MLP and CNN, dynamic for the transformer).") { checkpoint, output, calib, method, equalize, noBias, reduceRange, data, dataDir, threads, bench, activationScale };
        cmd.SetAction(pr =>
        {
            int t = pr.GetValue(threads), n = pr.GetValue(calib);
            if (t < 1 || t > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {t}.");
            if (n < 1 || n > 10_000_000) throw new InvalidInputException($"--calib must be in [1, 10000000]; got {n}.");
            string path = pr.GetValue(checkpoint)!, outPath = pr.GetValue(output)!;
            var granularity = pr.GetValue(activationScale) switch
            {
                "per-row" => DynamicActivationScale.PerRow,
                "per-tensor" => DynamicActivationScale.PerTensor,
                var other => throw new InvalidInputException($"--activation-scale must be per-row or per-tensor; got '{other}'."),
            };
            CliPaths.RequireInputFile("CHECKPOINT", path);
            CliPaths.RequireOutputFile("--out", outPath, ".safetensors", ("CHECKPOINT", path));
            var options = new PtqOptions
            {
                Method = CalibrationMethods.Get(pr.GetValue(method)!), Equalize = pr.GetValue(equalize), BiasCorrection = !pr.GetValue(noBias),
                ReduceRange = pr.GetValue(reduceRange),
            };
            Parallelism.MaxThreads = t;
            if (LanguageModelQuantization.FormatOf(path) == LanguageModelCheckpoint.Format)
                return LanguageModelQuantization.Quantize(path, outPath, granularity);
            return Run(path, outPath, n, options, pr.GetValue(data), pr.GetValue(dataDir), t, pr.GetValue(bench));
        });
        return cmd;
    }

    private static int Run(string path, string outPath, int calibRows, PtqOptions options, string? data, string? dataDir, int threads, bool bench)
    {
        var (model, optim, meta) = Checkpoint.Load(path);
        var settings = new RunSettings("digits", dataDir, ModelSpec.Parse("mlp"), threads, new TrainOptions()).MergeFromCheckpoint(meta, [], path);
        settings = data is not null ? settings with { Data = data } : settings.WithTestFrom(meta);
        var (train, test) = settings.LoadData();
        var trainer = settings.BuildTrainer(train);
        Checkpoint.Restore(trainer, model, optim, meta, path);
        int rows = Math.Min(calibRows, train.Count);
        var calibration = Tensor.FromArray(train.Features.AsSpan(0, rows * train.FeatureCount).ToArray(), rows, train.FeatureCount);
        // A --qat 8 checkpoint carries its ranges: the int8 model is what training simulated, with no calibration.
        QuantizedModel q;
        if (settings.Qat is { } qat)
        {
            if (!qat.IsInt8)
                throw new InvalidInputException($"{path} was trained with --qat {qat}; the int8 kernels run float checkpoints (post-training quantization) and --qat 8 checkpoints.");
            q = Nonlinear.Quantization.Qat.QatConverter.ToQuantizedModel(trainer.Model);
        }
        else q = PostTrainingQuantizer.Quantize(trainer.Model, calibration, options);

        var sw = Stopwatch.StartNew();
        var (floatLoss, floatAcc) = trainer.Evaluate(test);
        double floatSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var (loss, acc) = Evaluate(q, test);
        double int8Seconds = sw.Elapsed.TotalSeconds;

        var description = meta.Where(kv => !kv.Key.StartsWith("optim.", StringComparison.Ordinal) && kv.Key != "format")
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        description["quantized_from"] = Path.GetFileName(path);
        description["calibration"] = settings.Qat is null ? options.ToString() : "none (ranges learned by quantization-aware training)";
        if (settings.Qat is null) description["calibration_rows"] = rows.ToString(CultureInfo.InvariantCulture);
        QuantizedModelFile.Save(outPath, q, description);

        long floatBytes = 4L * trainer.Model.Parameters().Sum(p => (long)p.Length);
        Console.WriteLine($"{path} → {outPath}: int8 weights (per-channel), uint8 activations ({(settings.Qat is null ? $"{options}, {rows} calibration rows" : "ranges learned by --qat 8, no calibration")})");
        Console.WriteLine($"  {(settings.Qat is null ? "float:" : "fake-quant float:")} test accuracy {floatAcc:P2}, loss {floatLoss:0.0000}, {floatBytes / 1024.0:0.0} KiB of parameters, {floatSeconds * 1000:0} ms for {test.Count} samples");
        Console.WriteLine($"  int8:  test accuracy {acc:P2}, loss {loss:0.0000}, {q.ParameterBytes / 1024.0:0.0} KiB of parameters ({new FileInfo(outPath).Length / 1024.0:0.0} KiB file), {int8Seconds * 1000:0} ms");
        Console.WriteLine($"  difference: {(acc - floatAcc) * 100:+0.00;-0.00} pp");
        if (bench) Bench(trainer.Model, q, test);
        return 0;
    }

    // Throughput (samples/s) of float and int8 inference on the first rows of the test split: 7 interleaved rounds, so a
    // neighbour's load hits both alike; the median round is reported, by wall time and by the process's CPU time (which
    // a time-sliced, loaded machine inflates less; it includes every thread, so compare it at --threads 1).
    private static void Bench(Nonlinear.Layers.Module model, QuantizedModel q, Dataset test)
    {
        model.Eval();
        using var _ = Nonlinear.Autodiff.Autograd.NoGrad();
        foreach (int batch in new[] { 1, 1024 })
        {
            int rows = Math.Min(batch, test.Count), f = test.FeatureCount;
            var x = Tensor.FromArray(test.Features.AsSpan(0, rows * f).ToArray(), rows, f);
            int reps = Math.Max(1, 16384 / rows);
            var timesF = new List<double>();
            var timesQ = new List<double>();
            var cpuF = new List<double>();
            var cpuQ = new List<double>();
            using var process = Process.GetCurrentProcess();
            void Round(Action f, List<double> wall, List<double> cpu)
            {
                process.Refresh();
                var c0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                for (int r = 0; r < reps; r++) f();
                wall.Add(rows * reps / sw.Elapsed.TotalSeconds);
                process.Refresh();
                cpu.Add(rows * reps / Math.Max(1e-9, (process.TotalProcessorTime - c0).TotalSeconds));
            }
            for (int w = 0; w < 3; w++) { model.Call(x); q.Forward(x); }
            for (int round = 0; round < 7; round++)
            {
                Round(() => model.Call(x), timesF, cpuF);
                Round(() => q.Forward(x), timesQ, cpuQ);
            }
            double mf = timesF.Order().ElementAt(3), mq = timesQ.Order().ElementAt(3);
            double cf = cpuF.Order().ElementAt(3), cq = cpuQ.Order().ElementAt(3);
            Console.WriteLine($"  speed batch {rows}: float {mf:0} samples/s, int8 {mq:0} samples/s, int8/float {mq / mf:0.00}× (median of 7 interleaved rounds of {reps} calls); " +
                $"per CPU second: float {cf:0}, int8 {cq:0}, int8/float {cq / cf:0.00}×");
        }
    }

    /// <summary>Loss and accuracy of a quantized model on <paramref name="data"/>, in batches of 1000.</summary>
    public static (double Loss, double Accuracy) Evaluate(QuantizedModel q, Dataset data)
    {
        double loss = 0;
        long correct = 0;
        int f = data.FeatureCount;
        for (int r0 = 0; r0 < data.Count; r0 += 1000)
        {
            int n = Math.Min(1000, data.Count - r0);
            var logits = q.Forward(Tensor.FromArray(data.Features.AsSpan(r0 * f, n * f).ToArray(), n, f));
            var labels = data.Labels.AsSpan(r0, n).ToArray();
            loss += (double)Loss.CrossEntropy(logits, labels).Item() * n;
            correct += Metrics.CountCorrect(logits, labels);
        }
        return (loss / Math.Max(1, data.Count), (double)correct / Math.Max(1, data.Count));
    }

    /// <summary>`eval --checkpoint` on a quantized file: evaluates it and returns 0; null when the file is not a quantized model.</summary>
    public static int? TryEvaluate(string path, string? data, string? testFile, string? dataDir, int threads)
    {
        var (_, meta) = SafeTensors.Load(path);
        if (!QuantizedModelFile.IsQuantized(meta)) return null;
        var (q, _) = QuantizedModelFile.Load(path);
        var settings = new RunSettings("digits", dataDir, ModelSpec.Parse("mlp"), threads, new TrainOptions()).MergeFromCheckpoint(meta, [], path);
        settings = data is not null ? settings with { Data = data, Test = testFile } : settings with { Test = testFile ?? settings.WithTestFrom(meta).Test };
        var (_, test) = settings.LoadData();
        if (test.FeatureCount != q.InFeatures)
            throw new InvalidInputException($"{path} takes {q.InFeatures} features; {settings.Test ?? settings.Data} has {test.FeatureCount}.");
        var sw = Stopwatch.StartNew();
        var (loss, acc) = Evaluate(q, test);
        Console.WriteLine($"{path}: int8 {settings.Model} {settings.ActivationText} on {settings.Test ?? settings.Data}: test loss {loss:0.0000}, test accuracy {acc:P2} ({test.Count} samples, {sw.Elapsed.TotalMilliseconds:0} ms)");
        return 0;
    }
}
