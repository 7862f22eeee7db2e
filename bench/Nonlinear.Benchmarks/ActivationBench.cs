using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Nonlinear.Activations;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// The nine activations PyTorch's peer benchmark measures, on 16M preallocated floats: forward, and forward + backward
/// (backward reads whatever the entry saves). Run: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- --filter '*ActivationBench*'
/// </summary>
public class ActivationBench
{
    public const int N = 1 << 24;
    public static readonly string[] Measured = ["relu", "gelu", "gelu_tanh", "silu", "mish", "elu", "softplus", "tanh", "sigmoid"];

    [ParamsSource(nameof(Names))]
    public string Name { get; set; } = "relu";
    public static IEnumerable<string> Names => Measured;

    private Activation _act = null!;
    private float[] _x = null!, _y = null!, _dy = null!, _dx = null!, _d = null!;

    [GlobalSetup]
    public void Setup()
    {
        _act = ActivationCatalog.Get(Name).Create();
        (_x, _y, _dy, _dx) = Buffers();
        _d = new float[N];
    }

    public static (float[] X, float[] Y, float[] Dy, float[] Dx) Buffers()
    {
        var rng = new Nonlinear.Tensors.Rng(1);
        var x = new float[N];
        var dy = new float[N];
        for (int i = 0; i < N; i++) { x[i] = (float)(rng.NextGaussian() * 3); dy[i] = rng.NextFloat(); }
        return (x, new float[N], dy, new float[N]);
    }

    [Benchmark]
    public void Forward() => _act.Forward(_x, _y);

    [Benchmark]
    public void ForwardBackward() => Step(_act, _x, _y, _dy, _dx, _d);

    /// <summary>
    /// Forward then backward. With a buffer <paramref name="d"/> for f′, the path <see cref="Activation.Apply"/> takes when it
    /// records gradients: entries that compute f′ with y (GELU, SiLU) save it in the forward pass and backward multiplies.
    /// Without it, the two span kernels (what FormulaBench and LaneWiseBench compare).
    /// </summary>
    public static void Step(Activation a, float[] x, float[] y, float[] dy, float[] dx, float[]? d = null)
    {
        if (d is not null && a.FusesDerivative)
        {
            a.ForwardWithDerivative(x, y, d);
            UnaryDriver.BackwardFromDerivative(d, dy, dx);
            return;
        }
        a.Forward(x, y);
        var uses = a.Info.Uses;
        a.Backward(uses == BackwardUses.Output ? default : x, uses == BackwardUses.Input ? default : y, dy, dx);
    }

    /// <summary>
    /// Quick console mode: `act-throughput [threads]` prints Gelem/s (median of 7 runs after warm-up) per activation,
    /// forward and forward + backward, next to PyTorch 1.13's figures at 2 threads.
    /// </summary>
    public static void Throughput(int threads, string[]? only = null)
    {
        Parallelism.MaxThreads = threads;
        var (x, y, dy, dx) = Buffers();
        var d = new float[N];
        // Reference only: the peers' README table (2026-11-23). Quote ratios from a side-by-side run
        // (bench/side-by-side.sh + bench/summarize.py), never from these constants.
        var torch = new Dictionary<string, (double F, double FB)>
        {
            ["relu"] = (12.7, 4.17), ["gelu"] = (2.67, 1.03), ["gelu_tanh"] = (0.71, 0.35), ["silu"] = (3.43, 1.54), ["mish"] = (0.28, 0.13),
            ["elu"] = (3.04, 1.44), ["softplus"] = (0.82, 0.64), ["tanh"] = (0.88, 0.76), ["sigmoid"] = (3.68, 2.29),
        };
        Console.WriteLine($"act-throughput: {N} floats, {threads} thread(s), SIMD {Simd.Best}, median of 7 (Gelem/s); 'torch' = the peers' README figures, not this run");
        Console.WriteLine($"{"activation",-10} {"fwd",7} {"torch",6} {"ratio",6}   {"fwd+bwd",7} {"torch",6} {"ratio",6}");
        foreach (var name in only ?? Measured)
        {
            var a = ActivationCatalog.Get(name).Create();
            double f = Median(() => a.Forward(x, y)), fb = Median(() => Step(a, x, y, dy, dx, d));
            var t = torch.TryGetValue(name, out var known) ? known : (F: double.NaN, FB: double.NaN);
            Console.WriteLine($"{name,-10} {f,7:F2} {t.F,6:F2} {f / t.F,5:F2}x   {fb,7:F2} {t.FB,6:F2} {fb / t.FB,5:F2}x");
        }
    }

    private static double Median(Action run)
    {
        // Warm up for a second, not a fixed count: kernel methods the driver does not inline start as tier-0 code and are
        // only replaced by optimised code after the runtime's call-count and delay thresholds (minutes under load otherwise).
        long w0 = Stopwatch.GetTimestamp();
        do run(); while (Stopwatch.GetElapsedTime(w0).TotalSeconds < 1.5);
        var rates = new double[7];
        for (int i = 0; i < rates.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            rates[i] = N / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
        }
        Array.Sort(rates);
        return rates[rates.Length / 2];
    }
}
