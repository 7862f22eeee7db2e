using System.Diagnostics;
using Nonlinear.Autodiff;
using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// KAN layer timings in the shape of ../shared/peers/kan_layer.py: batch 1024, 64→64, 256→256, 784→64; forward
/// (no grad) and forward+backward (gradients of x and every parameter, upstream gradient given), median of 7
/// samples of ≥ 0.2 s after warm-up. `dotnet run -c Release --project bench/Nonlinear.Benchmarks -- kan-layer 2`.
/// </summary>
public static class KanLayerBench
{
    // Same layer set-ups as the peer: efficient-kan B-spline (G=5, k=3, SiLU base), FastKAN (LayerNorm, 8 RBFs,
    // base with bias), FourierKAN (5 frequencies, bias, no base), and our extra Chebyshev and S-KAN layers.
    internal static readonly (string Name, KanOptions Options)[] Layers =
    [
        ("bspline_kan", KanOptions.Pykan),
        ("bspline_kan_g20", KanOptions.Pykan with { GridSize = 20 }),
        ("fast_kan_rbf", KanOptions.FastKan),
        ("fourier_kan", KanOptions.FourierKan),
        ("chebyshev_kan", KanOptions.ChebyKan),
        ("selectable_kan", KanOptions.Selectable),
    ];

    private static readonly (int In, int Out)[] Sizes = [(64, 64), (256, 256), (784, 64)];

    public static void Run(int threads, int batch = 1024)
    {
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"threads={threads} tier={Simd.Best} batch={batch}");
        foreach (var (name, options) in Layers)
            foreach (var (fin, fout) in Sizes)
            {
                Time(name, options, KanSplinePath.Auto, fin, fout, batch);
                // B-spline layers: both computations as well as the one the cost model picks (the row above).
                if (options.Bases is [{ Name: "bspline" }])
                {
                    Time(name + "_dense", options, KanSplinePath.Dense, fin, fout, batch);
                    Time(name + "_sparse", options, KanSplinePath.Sparse, fin, fout, batch);
                }
            }
    }

    private static void Time(string name, KanOptions options, KanSplinePath path, int fin, int fout, int batch)
    {
        var rng = new Rng(0);
        var layer = new KanLayer(fin, fout, options, rng) { SplinePath = path };
        var x = Tensor.Rand(rng, [batch, fin], -1f, 1f);
        var xr = Tensor.Rand(rng, [batch, fin], -1f, 1f).RequireGrad();
        var gy = Tensor.Randn(rng, [batch, fout]);
        void Fwd() { using var _ = Autograd.NoGrad(); layer.Forward(x); }
        void FwdBwd()
        {
            layer.ZeroGrad();
            xr.Grad = null;
            layer.Forward(xr).Backward(gy);
        }
        var (f, fc, _) = Median(Fwd);
        var (fb, fbc, _) = Median(FwdBwd);
        Console.WriteLine($"{name}_{fin}x{fout,-4} fwd {f,8:F3} ms  fwd+bwd {fb,8:F3} ms  (cpu-ms {fc:F3} / {fbc:F3})  params {layer.ParameterCount}");
    }

    // Median wall ms per call, the median CPU ms per call (all threads; robust to other processes on a shared host), and
    // the calls made, over `count` samples after warming up for `warmMs` (which also sets the calls per sample).
    internal static (double Wall, double Cpu, int Calls) Median(Action once, int count = 7, double warmMs = 200)
    {
        var process = Process.GetCurrentProcess();
        for (int w = 0; w < 2; w++) once();
        int reps = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalMilliseconds < warmMs) { once(); reps++; }
        var samples = new double[count];
        var cpu = new double[count];
        for (int i = 0; i < count; i++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            sw.Restart();
            for (int r = 0; r < reps; r++) once();
            samples[i] = sw.Elapsed.TotalMilliseconds / reps;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpu0).TotalMilliseconds / reps;
        }
        Array.Sort(samples);
        Array.Sort(cpu);
        return (samples[count / 2], cpu[count / 2], 2 + reps * (count + 1));
    }
}
