using System.Diagnostics;
using Nonlinear.Kernels;
using Nonlinear.Quantization;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// How our int8 inference scales with threads: `int8-threads THREADS q.safetensors […]` runs each quantized model at
/// batch 1 and 1024 on 1 thread, on THREADS threads as it ships (blocks of rows through the whole network; a batch of
/// 1 splits a layer only above <see cref="Int8Gemm.SplitMacs"/>), and on THREADS threads the way it ran before
/// (layer by layer over the whole batch, every GEMM split, a single row's columns always split) — switched in one
/// binary, interleaved over 9 rounds of ≥ 150 ms; median samples/s by wall time and per CPU second, and the logits of
/// the three must agree bit for bit.
/// </summary>
public static class Int8ThreadsBench
{
    public static void Run(int threads, IReadOnlyList<string> files)
    {
        if (Int8InferBench.LoadAll("int8-threads", files) is not { } models) return;
        long splitMacs = Int8Gemm.SplitMacs;
        Console.WriteLine($"int8-threads: 1 vs {threads} threads, int8 path={Int8Gemm.Best}");
        foreach (var (file, q) in models)
            foreach (int batch in new[] { 1, 1024 })
            {
                var x = Tensor.Rand(new Rng(1), [batch, q.InFeatures], 0f, 1f).ToArray();
                var outs = new float[3][];
                var engines = new (string Name, Action Run)[3];
                for (int e = 0; e < 3; e++)
                {
                    var y = outs[e] = new float[batch * q.OutFeatures];
                    int t = e == 0 ? 1 : threads;
                    bool before = e == 2;
                    engines[e] = (e == 0 ? "1 thread" : before ? $"{threads} threads, before" : $"{threads} threads",
                        () =>
                        {
                            Parallelism.MaxThreads = t;
                            QuantizedModel.LayerByLayer = before;
                            Int8Gemm.SplitMacs = before ? 0 : splitMacs;
                            q.Forward(x, batch, y);
                        });
                }
                var reps = engines.Select(e => Calibrate(e.Run)).ToArray();
                var wall = engines.Select(_ => new double[9]).ToArray();
                var cpu = engines.Select(_ => new double[9]).ToArray();
                using var process = Process.GetCurrentProcess();
                for (int round = 0; round < 9; round++)
                    for (int e = 0; e < engines.Length; e++)
                    {
                        engines[e].Run();
                        process.Refresh();
                        var c0 = process.TotalProcessorTime;
                        var sw = Stopwatch.StartNew();
                        for (int r = 0; r < reps[e]; r++) engines[e].Run();
                        wall[e][round] = (double)batch * reps[e] / sw.Elapsed.TotalSeconds;
                        process.Refresh();
                        cpu[e][round] = (double)batch * reps[e] / Math.Max(1e-9, (process.TotalProcessorTime - c0).TotalSeconds);
                    }
                QuantizedModel.LayerByLayer = false;
                Int8Gemm.SplitMacs = splitMacs;
                bool same = outs[1].AsSpan().SequenceEqual(outs[0]) && outs[2].AsSpan().SequenceEqual(outs[0]);
                Console.WriteLine($"{Path.GetFileName(file)} b{batch} (logits bit-identical: {same}):");
                for (int e = 0; e < engines.Length; e++)
                {
                    var ratio = Enumerable.Range(0, 9).Select(r => wall[e][r] / wall[0][r]).Order().ToArray();
                    Console.WriteLine($"  {engines[e].Name,-20} {Median(wall[e]),9:0} samples/s (vs 1 thread {ratio[4]:0.00}×, min {ratio[0]:0.00}, max {ratio[^1]:0.00}), {Median(cpu[e]),9:0} per CPU second");
                }
            }
    }

    private static int Calibrate(Action f)
    {
        for (int w = 0; w < 3; w++) f();
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (sw.Elapsed.TotalMilliseconds < 150) { f(); n++; }
        return Math.Max(1, n);
    }

    private static double Median(double[] v) => v.Order().ElementAt(v.Length / 2);
}
