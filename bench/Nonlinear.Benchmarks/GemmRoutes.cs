using System.Diagnostics;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// `gemm-routes THREADS [filter]`: for each gemm-gflops shape, the multi-threaded routes (the library's choice, Grid,
/// SharedB, SharedA) and one thread, timed in turn round after round, so a loaded machine's drift hits every route
/// alike. Prints the median GFLOP/s of each, per second of wall time and per CPU-second of the process (what the
/// threads achieve while they run: the figure that survives a machine shared with other work).
/// </summary>
public static class GemmRoutes
{
    private static readonly (string Name, GemmRoute? Route, int Threads)[] Variants =
        [("auto", null, 0), ("grid", GemmRoute.Grid, 0), ("sharedB", GemmRoute.SharedB, 0), ("sharedA", GemmRoute.SharedA, 0), ("1 thread", null, 1)];

    /// <summary>Times every shape whose name contains one of <paramref name="filter"/>'s comma-separated parts.</summary>
    public static void Run(int threads, string? filter, int rounds = 15)
    {
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"threads={threads} tier={Simd.Best}, median GFLOP/s (wall | per CPU-second) of {rounds} interleaved rounds of ~10 ms each");
        Console.WriteLine($"{"shape",-40} " + string.Join(" ", Variants.Select(v => $"{v.Name,9}")));
        string[] parts = filter?.Split(',') ?? [""];
        foreach (var s in GemmGflops.Shapes)
        {
            if (!parts.Any(f => s.Name.Contains(f, StringComparison.Ordinal))) continue;
            var rng = new Random(1);
            float[] a = Fill(rng, s.M * s.K), b = Fill(rng, s.K * s.N), c = new float[s.M * s.N];
            int lda = s.TA ? s.M : s.K, ldb = s.TB ? s.K : s.N;
            void Once(GemmRoute? route, int t)
            {
                Gemm.RouteOverride = route;
                Gemm.Sgemm(SimdTier.Auto, t == 0 ? threads : t, s.TA, s.TB, s.M, s.N, s.K, 1f, a, lda, b, ldb, 0f, c, s.N);
                Gemm.RouteOverride = null;
            }
            double flops = 2.0 * s.M * s.N * s.K;
            int reps = Math.Max(1, (int)(10e-3 * 60e9 / flops));
            var samples = Variants.Select(_ => new List<double>()).ToArray();
            var cpu = Variants.Select(_ => new List<double>()).ToArray();
            var process = Process.GetCurrentProcess();
            foreach (var v in Variants) for (int r = 0; r < reps; r++) Once(v.Route, v.Threads); // warm-up
            var sw = new Stopwatch();
            for (int round = 0; round < rounds; round++)
                for (int vi = 0; vi < Variants.Length; vi++)
                {
                    // One untimed call first: the variant before may have left the workers asleep, and the first
                    // call after that pays their wake-up, which would otherwise be charged to whichever variant follows.
                    Once(Variants[vi].Route, Variants[vi].Threads);
                    process.Refresh();
                    var cpu0 = process.TotalProcessorTime;
                    sw.Restart();
                    for (int r = 0; r < reps; r++) Once(Variants[vi].Route, Variants[vi].Threads);
                    samples[vi].Add(flops * reps / sw.Elapsed.TotalSeconds / 1e9);
                    process.Refresh();
                    cpu[vi].Add(flops * reps / Math.Max((process.TotalProcessorTime - cpu0).TotalSeconds, 1e-6) / 1e9);
                }
            static double Median(List<double> x) { x.Sort(); return x[x.Count / 2]; }
            Console.WriteLine($"{s.Name,-40} " + string.Join(" ", samples.Select(x => $"{Median(x),9:F1}"))
                + "  | " + string.Join(" ", cpu.Select(x => $"{Median(x),6:F1}")));
        }
    }

    private static float[] Fill(Random rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
