using System.Diagnostics;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Quick console throughput check: `dotnet run -c Release --project bench/Nonlinear.Benchmarks -- gemm-gflops 2`.
/// Prints GFLOP/s (2·M·N·K / time) per shape, the median of 7 timed samples after warm-up.
/// </summary>
public static class GemmGflops
{
    /// <summary>The shapes of <see cref="GemmBench"/> plus the LM and spiking-MLP training shapes: name, transA, transB, M, N, K.</summary>
    public static readonly (string Name, bool TA, bool TB, int M, int N, int K)[] Shapes =
    [
        ("256^3", false, false, 256, 256, 256),
        ("512^3", false, false, 512, 512, 512),
        ("1024^3", false, false, 1024, 1024, 1024),
        ("mlp 128x784->256 fwd (x·Wᵀ)", false, true, 128, 256, 784),
        ("mlp 128x784->256 bwd-input (dy·W)", false, false, 128, 784, 256),
        ("mlp 128x784->256 bwd-weight (dyᵀ·x)", true, false, 256, 784, 128),
        ("mlp 128x256->10 fwd (x·Wᵀ)", false, true, 128, 10, 256),
        // The dense KAN layer 256→256 at batch 1024 (K = 256·(1 + 8) feature columns): forward, weight and input gradients.
        ("kan 1024x2304->256 fwd (F·Wᵀ)", false, true, 1024, 256, 2304),
        ("kan 1024x2304->256 bwd-weight (gᵀ·F)", true, false, 256, 2304, 1024),
        ("kan 512x256->2304 bwd-input block (g·W)", false, false, 512, 2304, 256),
        // A char-GPT training step (lm-step: gpt 4x128, batch 32 × ctx 128 = 4096 tokens): the qkv projection 128→384 and
        // the MLP 128→512→128, each forward (x·Wᵀ), input gradient (dy·W) and weight gradient (dyᵀ·x).
        ("lm qkv fwd 4096x128->384 (x·Wᵀ)", false, true, 4096, 384, 128),
        ("lm qkv bwd-input (dy·W)", false, false, 4096, 128, 384),
        ("lm qkv bwd-weight (dyᵀ·x)", true, false, 384, 128, 4096),
        ("lm up fwd 4096x128->512 (x·Wᵀ)", false, true, 4096, 512, 128),
        ("lm up bwd-weight (dyᵀ·x)", true, false, 512, 128, 4096),
        ("lm down fwd 4096x512->128 (x·Wᵀ)", false, true, 4096, 128, 512),
        ("lm up bwd-input (dy·W)", false, false, 4096, 128, 512),
        ("lm down bwd-input (dy·W)", false, false, 4096, 512, 128),
        ("lm down bwd-weight (dyᵀ·x)", true, false, 128, 512, 4096),
        // The spiking MLP's fc2 (1000→10) over T·B = 25·128 = 3200 rows: forward, input gradient, weight gradient as
        // snn-step runs it ([10,3200]·[3200,1000]) and with the operands swapped ([1000,3200]·[3200,10]).
        ("snn fc2 fwd 3200x1000->10 (x·Wᵀ)", false, true, 3200, 10, 1000),
        ("snn fc2 bwd-input (dy·W)", false, false, 3200, 1000, 10),
        ("snn fc2 bwd-weight (dyᵀ·s)", true, false, 10, 1000, 3200),
        ("snn fc2 bwd-weight swapped (sᵀ·dy)", true, false, 1000, 10, 3200),
        ("snn fc1 bwd-weight (dyᵀ·x)", true, false, 1000, 784, 128),
    ];

    /// <summary>
    /// Times every shape whose name contains one of <paramref name="filter"/>'s comma-separated parts (all when null).
    /// NONLINEAR_GEMM_ROUTE=grid|sharedb|shareda forces that multi-threaded route where it can run (to compare routes
    /// per shape in one build); unset, the library chooses.
    /// </summary>
    public static void Run(int threads, string? filter = null)
    {
        Parallelism.MaxThreads = threads;
        string? route = Environment.GetEnvironmentVariable("NONLINEAR_GEMM_ROUTE");
        Gemm.RouteOverride = route is null or "" ? null : Enum.Parse<GemmRoute>(route, ignoreCase: true);
        Console.WriteLine($"threads={threads} tier={Simd.Best} route={Gemm.RouteOverride?.ToString() ?? "auto"}");
        string[] parts = filter?.Split(',') ?? [""];
        foreach (var s in Shapes)
        {
            if (!parts.Any(f => s.Name.Contains(f, StringComparison.Ordinal))) continue;
            var rng = new Random(1);
            float[] a = Fill(rng, s.M * s.K), b = Fill(rng, s.K * s.N), c = new float[s.M * s.N];
            int lda = s.TA ? s.M : s.K, ldb = s.TB ? s.K : s.N;
            void Once() => Gemm.Sgemm(s.TA, s.TB, s.M, s.N, s.K, 1f, a, lda, b, ldb, 0f, c, s.N);
            double flops = 2.0 * s.M * s.N * s.K;
            // Enough repetitions per sample for ~20 ms, so timer resolution and jitter stay small.
            int reps = 1;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalMilliseconds < 200) { Once(); reps++; }
            reps = Math.Max(1, (int)(reps * 20 / sw.Elapsed.TotalMilliseconds));
            var samples = new double[7];
            var cpu = new double[7];
            var process = Process.GetCurrentProcess();
            for (int i = 0; i < samples.Length; i++)
            {
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                sw.Restart();
                for (int r = 0; r < reps; r++) Once();
                samples[i] = flops * reps / sw.Elapsed.TotalSeconds / 1e9;
                process.Refresh();
                cpu[i] = flops * reps / (process.TotalProcessorTime - cpu0).TotalSeconds / 1e9;
            }
            Array.Sort(samples);
            Array.Sort(cpu);
            // Per CPU-second throughput is what a core achieves while it runs: robust to other processes on a shared host.
            Console.WriteLine($"{s.Name,-40} {samples[3],8:F1} GFLOP/s  (min {samples[0]:F1}, max {samples[^1]:F1})  {cpu[3],7:F1} GFLOP/cpu-s");
        }
    }

    private static float[] Fill(Random rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
