using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Nonlinear.Activations;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>
/// The generic (lane-wise) vector path against the fused one for the same arithmetic: each entry's own kernel run once as
/// its fused vector formula and once through <see cref="LaneWise{S}"/> over its scalar lane, forward and forward + backward
/// on 4M floats. The issue's target: lane-wise ≤ 2× the fused time.
/// Run: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- --filter '*LaneWiseBench*'
/// Quick console mode: dotnet run -c Release --project bench/Nonlinear.Benchmarks -- lanewise-throughput [threads]
/// </summary>
public class LaneWiseBench
{
    public const int N = 1 << 22;
    public static readonly string[] Measured = ["relu_squared", "squareplus", "isru", "smooth_step"];

    [ParamsSource(nameof(Names))]
    public string Name { get; set; } = "squareplus";
    public static IEnumerable<string> Names => Measured;

    [Params(false, true)]
    public bool LaneWisePath { get; set; }

    private Activation _act = null!;
    private float[] _x = null!, _y = null!, _dy = null!, _dx = null!;

    [GlobalSetup]
    public void Setup()
    {
        _act = LaneWisePath ? LaneWiseOf(Name) : ActivationCatalog.Get(Name).Create();
        (_x, _y, _dy, _dx) = Buffers();
    }

    [Benchmark]
    public void Forward() => _act.Forward(_x, _y);

    [Benchmark]
    public void ForwardBackward() => ActivationBench.Step(_act, _x, _y, _dy, _dx);

    private static (float[], float[], float[], float[]) Buffers()
    {
        var rng = new Nonlinear.Tensors.Rng(1);
        var x = new float[N];
        var dy = new float[N];
        for (int i = 0; i < N; i++) { x[i] = (float)(rng.NextGaussian() * 3); dy[i] = rng.NextFloat(); }
        return (x, new float[N], dy, new float[N]);
    }

    /// <summary>The catalog entry's kernel, with its vector path replaced by the lane-wise driver over its own scalar lane.</summary>
    public static Activation LaneWiseOf(string name)
    {
        var info = ActivationCatalog.Get(name).Info with { FusedVectorPath = false };
        return name switch
        {
            "relu_squared" => Wrap(info, new ReluSquared()),
            "squareplus" => Wrap(info, new Squareplus(4f)),
            "isru" => Wrap(info, new Isru(1f)),
            "smooth_step" => Wrap(info, new SmoothStep(1f)),
            _ => throw new ArgumentException($"no lane-wise twin for '{name}'; expected one of {string.Join(", ", Measured)}.", nameof(name)),
        };
    }

    private static Activation Wrap<K>(ActivationInfo info, K kernel) where K : struct, IActivationKernel =>
        new Activation<LaneWise<ScalarOf<K>>>(info, new LaneWise<ScalarOf<K>>(new ScalarOf<K>(kernel)), []);

    /// <summary>A fused kernel's one-lane (Scalar) formula as an <see cref="IScalarActivation"/>: identical arithmetic per element.</summary>
    internal readonly struct ScalarOf<K>(K kernel) : IScalarActivation where K : struct, IActivationKernel
    {
        private readonly K _k = kernel;
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public float Forward(float x) => _k.Forward(new Scalar(x)).V;
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public float Derivative(float x, float y) => _k.Derivative(new Scalar(x), new Scalar(y)).V;
        public double Reference(double x) => _k.Reference(x);
        public double ReferenceDerivative(double x) => _k.ReferenceDerivative(x);
        // The throughput comparison never takes a second derivative; the fused kernel's own f″ where it declares one.
        public double ReferenceSecondDerivative(double x) =>
            _k is ISecondDerivativeKernel second ? second.ReferenceSecondDerivative(x) : throw new InvalidOperationException($"{typeof(K).Name} declares no f″.");
    }

    /// <summary>Console mode: Gelem/s (median of 7 after warm-up), fused vs lane-wise, and the time ratio.</summary>
    public static void Throughput(int threads)
    {
        Parallelism.MaxThreads = threads;
        var (x, y, dy, dx) = Buffers();
        Console.WriteLine($"lanewise-throughput: {N} floats, {threads} thread(s), SIMD {Simd.Best}, median of 7 (Gelem/s); ratio = lane-wise time / fused time; scalar = the fused kernel forced to the one-lane tier");
        Console.WriteLine($"{"activation",-13} {"fused",7} {"scalar",7} {"lane",7} {"ratio",6}   {"fused f+b",9} {"lane f+b",9} {"ratio",6}");
        foreach (var name in Measured)
        {
            var fused = ActivationCatalog.Get(name).Create();
            var lane = LaneWiseOf(name);
            double ff = Median(() => fused.Forward(x, y)), lf = Median(() => lane.Forward(x, y));
            double sf = Median(() => fused.Forward(x, y, SimdTier.Scalar));
            double ffb = Median(() => ActivationBench.Step(fused, x, y, dy, dx)), lfb = Median(() => ActivationBench.Step(lane, x, y, dy, dx));
            Console.WriteLine($"{name,-13} {ff,7:F2} {sf,7:F2} {lf,7:F2} {ff / lf,5:F2}x   {ffb,9:F2} {lfb,9:F2} {ffb / lfb,5:F2}x");
        }
    }

    private static double Median(Action run)
    {
        long w0 = Stopwatch.GetTimestamp();
        do run(); while (Stopwatch.GetElapsedTime(w0).TotalSeconds < 1.0);
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
