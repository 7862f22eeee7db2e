using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// 784-256-256-10 ReLU MLP inference, forward only under <see cref="Autograd.NoGrad"/>, at batch 1 and 1024:
/// `dotnet run -c Release --project bench/Nonlinear.Benchmarks -- mlp-infer 2`. The same weights run in ONNX
/// Runtime (CPU provider, exported by <see cref="OnnxMlpExport"/>); the PyTorch peer is bench/peers/mlp_infer.py.
/// Prints per engine and batch the median latency of one forward (min, max over 15 samples) and samples/s.
/// </summary>
public static class MlpInferBench
{
    private static readonly int[] Batches = [1, 1024];

    public static void Run(int threads)
    {
        Parallelism.MaxThreads = threads;
        var rng = new Rng(0);
        var layers = new[] { new Linear(784, 256, rng), new Linear(256, 256, rng), new Linear(256, 10, rng) };
        var model = new Sequential(layers[0], new ActivationLayer("relu"), layers[1], new ActivationLayer("relu"), layers[2]);
        Console.WriteLine($"threads={threads} tier={Simd.Best}");

        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var session = new InferenceSession(OnnxMlpExport.Encode(layers), options);
        using var runOptions = new RunOptions();

        foreach (int batch in Batches)
        {
            var x = Tensor.Rand(new Rng(1), [batch, 784], -1f, 1f);
            var xs = x.ToArray();
            Tensor ours = x;
            void Forward()
            {
                using (Autograd.NoGrad()) ours = model.Forward(x);
            }
            Report("nonlinear", batch, Time(Forward));

            var ys = new float[batch * 10];
            using var xv = OrtValue.CreateTensorValueFromMemory(xs, [batch, 784]);
            using var yv = OrtValue.CreateTensorValueFromMemory(ys, [batch, 10]);
            string[] inNames = ["x"], outNames = ["y"];
            OrtValue[] ins = [xv], outs = [yv];
            void Ort() => session.Run(runOptions, inNames, ins, outNames, outs);
            Report("onnxruntime", batch, Time(Ort));

            // Same weights, same input: the engines must agree to float rounding (they sum in different orders).
            var mine = ours.ToArray();
            double maxDiff = 0;
            for (int i = 0; i < mine.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(mine[i] - ys[i]));
            Console.WriteLine($"  b{batch}: max |nonlinear − onnxruntime| = {maxDiff:E2}");
        }
    }

    private static void Report(string engine, int batch, (double[] Wall, double[] Cpu) t)
    {
        double med = t.Wall[t.Wall.Length / 2];
        // CPU time per call (all threads of the process, spinning included) is what a call costs the machine, and
        // robust to other processes sharing it; wall time is the latency.
        Console.WriteLine($"mlp-infer {engine,-12} b{batch,-5} median {med * 1e6,10:F1} µs  (min {t.Wall[0] * 1e6:F1}, max {t.Wall[^1] * 1e6:F1})  " +
            $"{batch / med,12:F0} samples/s  cpu {t.Cpu[t.Cpu.Length / 2] * 1e6,10:F1} µs/call");
    }

    /// <summary>Sorted wall and CPU seconds per call over 15 samples of ≥ 20 ms each, after a calibration that also warms up.</summary>
    private static (double[] Wall, double[] Cpu) Time(Action f)
    {
        var process = Process.GetCurrentProcess();
        var cpu = new double[15];
        int reps = 1;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalMilliseconds < 100) { f(); reps++; }
        reps = Math.Max(1, (int)(reps * 20 / sw.Elapsed.TotalMilliseconds));
        var s = new double[15];
        for (int i = 0; i < s.Length; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            sw.Restart();
            for (int r = 0; r < reps; r++) f();
            s[i] = sw.Elapsed.TotalSeconds / reps;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpu0).TotalSeconds / reps;
        }
        Array.Sort(s);
        Array.Sort(cpu);
        return (s, cpu);
    }
}
