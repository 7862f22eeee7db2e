using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Nonlinear.Export;
using Nonlinear.Kernels;
using Nonlinear.Quantization;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// int8 inference side by side with ONNX Runtime: `int8-infer THREADS q.safetensors [q2.safetensors …]` loads each
/// quantized model file (from `nonlinear quantize`), exports it in QDQ form (<see cref="QdqExporter"/>) and runs both
/// at batch 1 and 1024 on the same uniform [0, 1) inputs — ours through <see cref="QuantizedModel.Forward(ReadOnlySpan{float}, int, Span{float}, SimdTier)"/>,
/// ORT (CPU provider, ORT_ENABLE_ALL, which fuses DQ→Gemm→Q into its integer QGemm/QLinear kernels) on the .onnx —
/// in 9 interleaved rounds of ≥ 150 ms each, median samples/s per engine and the per-round ratio's median, by wall
/// time and by process CPU time (less inflated by a time-sliced, loaded machine; meaningful at 1 thread).
/// </summary>
public static class Int8InferBench
{
    public static void Run(int threads, IReadOnlyList<string> files)
    {
        if (LoadAll("int8-infer", files) is not { } models) return;
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"threads={threads} int8 path={Int8Gemm.Best}");
        foreach (var (file, q) in models)
        {
            using var options = new SessionOptions
            {
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            using var session = new InferenceSession(QdqExporter.ToBytes(q), options);
            using var runOptions = new RunOptions();
            string inName = session.InputMetadata.Keys.Single(), outName = session.OutputMetadata.Keys.Single();
            foreach (int batch in new[] { 1, 1024 })
            {
                var x = Tensor.Rand(new Rng(1), [batch, q.InFeatures], 0f, 1f).ToArray();
                var ours = new float[batch * q.OutFeatures];
                var theirs = new float[batch * q.OutFeatures];
                using var xv = OrtValue.CreateTensorValueFromMemory(x, [batch, q.InFeatures]);
                using var yv = OrtValue.CreateTensorValueFromMemory(theirs, [batch, q.OutFeatures]);
                string[] inNames = [inName], outNames = [outName];
                OrtValue[] ins = [xv], outs = [yv];
                void Ours() => q.Forward(x, batch, ours);
                void Ort() => session.Run(runOptions, inNames, ins, outNames, outs);
                int repsA = Calibrate(Ours), repsB = Calibrate(Ort);
                var a = new double[9];
                var b = new double[9];
                var r = new double[9];
                var rc = new double[9];
                for (int round = 0; round < 9; round++)
                {
                    var (wa, ca) = Seconds(Ours, repsA);
                    var (wb, cb) = Seconds(Ort, repsB);
                    a[round] = batch * repsA / wa;
                    b[round] = batch * repsB / wb;
                    r[round] = a[round] / b[round];
                    rc[round] = (repsA / ca) / (repsB / cb);
                }
                double diff = 0;
                for (int i = 0; i < ours.Length; i++) diff = Math.Max(diff, Math.Abs(ours[i] - theirs[i]));
                Console.WriteLine($"int8-infer {Path.GetFileName(file)} b{batch}: nonlinear {Median(a):0} samples/s, onnxruntime {Median(b):0} samples/s, " +
                    $"ratio {Median(r):0.00}× (min {r.Min():0.00}, max {r.Max():0.00}), per CPU second {Median(rc):0.00}×; max |logit difference| {diff:E2}");
            }
        }
    }

    /// <summary>
    /// Every file loaded before any timing starts, or null after one line on stderr (exit code 2) naming the file that
    /// is missing or not a quantized model: a benchmark's bad argument is a usage error, not a crash to debug.
    /// </summary>
    internal static List<(string File, QuantizedModel Model)>? LoadAll(string mode, IReadOnlyList<string> files)
    {
        string? problem = files.Count == 0 ? $"{mode}: give at least one quantized model file (from `nonlinear quantize … --out q.safetensors`)." : null;
        var models = new List<(string, QuantizedModel)>();
        foreach (var file in files)
        {
            if (problem is not null) break;
            try { models.Add((file, QuantizedModelFile.Load(file).Model)); }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
            {
                problem = e is FileNotFoundException or DirectoryNotFoundException
                    ? $"{mode}: {file}: no such file (expected a quantized model from `nonlinear quantize`)."
                    : $"{mode}: {file}: {e.Message}";
            }
        }
        if (problem is null) return models;
        Console.Error.WriteLine(problem);
        Environment.ExitCode = 2;
        return null;
    }

    private static int Calibrate(Action f)
    {
        for (int w = 0; w < 3; w++) f();
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (sw.Elapsed.TotalMilliseconds < 150) { f(); n++; }
        return Math.Max(1, n);
    }

    private static (double Wall, double Cpu) Seconds(Action f, int reps)
    {
        using var process = Process.GetCurrentProcess();
        var c0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++) f();
        double wall = sw.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, Math.Max(1e-9, (process.TotalProcessorTime - c0).TotalSeconds));
    }

    private static double Median(double[] v) => v.Order().ElementAt(v.Length / 2);
}
