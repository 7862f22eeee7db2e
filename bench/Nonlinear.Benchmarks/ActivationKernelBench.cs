using System.Diagnostics;
using Nonlinear.Activations;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// The kernels' compute speed apart from memory and threads: 4096 floats (in, out, dy and dx all fit in L1), one thread,
/// the best of many ~0.1 ms samples. The best sample is the one no other process interrupted, so this figure stays put on
/// a shared, loaded machine where the 16M-float throughput does not; it is the figure to A/B a kernel change with.
/// </summary>
public static class ActivationKernelBench
{
    private const int DefaultN = 4096, DefaultSamples = 400;

    /// <summary>
    /// `act-kernel [tier] [names] [n]`: ns per element (best sample), forward and forward + backward, per activation. A
    /// large n (16777216: four 64 MiB arrays, far beyond the caches) measures the memory path instead, with fewer samples;
    /// the best sample is then the one least disturbed by other processes' memory traffic.
    /// </summary>
    public static void Run(SimdTier tier, string[]? only, int n = DefaultN)
    {
        Parallelism.MaxThreads = 1;
        N = n;
        Samples = n <= DefaultN ? DefaultSamples : Math.Max(15, (int)(DefaultSamples * (long)DefaultN / n));
        Inner = n <= DefaultN ? 16 : 1;
        var rng = new Nonlinear.Tensors.Rng(1);
        float[] x = new float[N], y = new float[N], dy = new float[N], dx = new float[N], d = new float[N];
        for (int i = 0; i < N; i++) { x[i] = (float)(rng.NextGaussian() * 3); dy[i] = rng.NextFloat(); }
        Console.WriteLine($"act-kernel: {N} floats ({(N <= DefaultN ? "L1-resident" : "memory")}), 1 thread, tier {Simd.Resolve(tier)}, best of {Samples} samples (ns/element; lower is faster)");
        Console.WriteLine($"{"activation",-10} {"fwd",7} {"fwd+bwd",8}");
        foreach (var name in only ?? ActivationBench.Measured)
        {
            var a = ActivationCatalog.Get(name).Create();
            var uses = a.Info.Uses;
            double f = Best(() => a.Forward(x, y, tier));
            double fb = Best(() =>
            {
                // The path Activation.Apply takes when recording (see ActivationBench.Step), on the chosen tier.
                if (a.FusesDerivative)
                {
                    a.ForwardWithDerivative(x, y, d, tier);
                    UnaryDriver.BackwardFromDerivative(d, dy, dx, tier);
                    return;
                }
                a.Forward(x, y, tier);
                a.Backward(uses == BackwardUses.Output ? default : x, uses == BackwardUses.Input ? default : y, dy, dx, tier);
            });
            Console.WriteLine($"{name,-10} {f,7:F3} {fb,8:F3}");
        }
    }

    private static int N = DefaultN, Samples = DefaultSamples, Inner = 16;

    private static double Best(Action run)
    {
        // Tiered compilation replaces the first code only after its call-count and delay thresholds: warm up on time.
        long w0 = Stopwatch.GetTimestamp();
        do run(); while (Stopwatch.GetElapsedTime(w0).TotalSeconds < 1.0);
        int inner = Inner;
        double best = double.MaxValue;
        for (int s = 0; s < Samples; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < inner; i++) run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalNanoseconds / inner / N);
        }
        return best;
    }
}
