using System.Diagnostics;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Where int8 GEMM time goes against float, one shape at a time: `int8-parts THREADS [M N K]` (default the first layer
/// of the Fashion-MNIST MLP at batch 1024: 1024 784 256) times the float SGEMM (C = A·Bᵀ), the int8 GEMM on its
/// 8-bit routes (vpmaddwd; vpmaddubsw with the sign trick) and its 7-bit route (vpmaddubsw), interleaved over 9 rounds; prints the median GMAC per CPU
/// second and the per-round ratios to float.
/// </summary>
public static class Int8PartsBench
{
    public static void Run(int threads, string[] args)
    {
        Parallelism.MaxThreads = threads;
        int m = args.Length > 0 ? int.Parse(args[0]) : 1024, n = args.Length > 1 ? int.Parse(args[1]) : 256, k = args.Length > 2 ? int.Parse(args[2]) : 784;
        var rng = new Nonlinear.Tensors.Rng(3);
        var af = new float[m * k]; var bf = new float[n * k]; var cf = new float[m * n];
        var a8 = new byte[m * k]; var b8 = new sbyte[n * k]; var c8 = new int[m * n];
        for (int i = 0; i < af.Length; i++) { a8[i] = (byte)(rng.NextUInt64() & 0x7F); af[i] = a8[i]; }
        // Symmetric int8 weights, [−127, 127], as a quantized model holds (the sign route refuses −128).
        for (int i = 0; i < bf.Length; i++) { b8[i] = (sbyte)Math.Max(-127, (int)(sbyte)(byte)rng.NextUInt64()); bf[i] = b8[i]; }
        var packed = new Int8PackedWeights(b8, n, k);
        var engines = new (string Name, Action Run)[]
        {
            ("float sgemm", () => Gemm.Sgemm(false, true, m, n, k, 1f, af, k, bf, k, 0f, cf, n)),
            ("int8 vpmaddwd", () => Int8Gemm.Multiply(Int8GemmPath.Avx2, a8, m, packed, c8)),
            ("int8 vpmaddubsw (7-bit)", () => Int8Gemm.Multiply(Int8GemmPath.Avx2SevenBit, a8, m, packed, c8)),
            ("int8 sign (8-bit)", () => Int8Gemm.Multiply(Int8GemmPath.Avx2Sign, a8, m, packed, c8)),
        };
        var reps = engines.Select(e => Calibrate(e.Run)).ToArray();
        // GMAC per CPU second of the process (1 thread: robust to time slicing on a loaded machine).
        var gmacs = engines.Select(_ => new double[9]).ToArray();
        using var process = Process.GetCurrentProcess();
        for (int round = 0; round < 9; round++)
            for (int e = 0; e < engines.Length; e++)
            {
                process.Refresh();
                var c0 = process.TotalProcessorTime;
                for (int r = 0; r < reps[e]; r++) engines[e].Run();
                process.Refresh();
                gmacs[e][round] = (double)m * n * k * reps[e] / Math.Max(1e-9, (process.TotalProcessorTime - c0).TotalSeconds) / 1e9;
            }
        Console.WriteLine($"int8-parts M={m} N={n} K={k} threads={threads}");
        for (int e = 0; e < engines.Length; e++)
        {
            var ratio = Enumerable.Range(0, 9).Select(r => gmacs[e][r] / gmacs[0][r]).Order().ToArray();
            Console.WriteLine($"  {engines[e].Name,-24} {gmacs[e].Order().ElementAt(4),7:0.00} GMAC/s  vs float {ratio[4]:0.00}× (min {ratio[0]:0.00}, max {ratio[^1]:0.00})");
        }
    }

    private static int Calibrate(Action f)
    {
        for (int w = 0; w < 2; w++) f();
        var sw = Stopwatch.StartNew();
        int n = 0;
        while (sw.Elapsed.TotalMilliseconds < 150) { f(); n++; }
        return Math.Max(1, n);
    }
}
