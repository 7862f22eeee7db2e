using BenchmarkDotNet.Attributes;
using Nonlinear.Kernels;

namespace Nonlinear.Benchmarks;

/// <summary>SGEMM on square sizes and the MLP shapes of a 784-256-10 network with batch 128 (see <see cref="GemmGflops.Shapes"/>).</summary>
public class GemmBench
{
    private float[] _a = [], _b = [], _c = [];
    private (string Name, bool TA, bool TB, int M, int N, int K) _s;

    [ParamsSource(nameof(ShapeNames))]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<string> ShapeNames => GemmGflops.Shapes.Select(s => s.Name);

    [GlobalSetup]
    public void Setup()
    {
        _s = GemmGflops.Shapes.First(s => s.Name == Shape);
        var rng = new Random(1);
        _a = Enumerable.Range(0, _s.M * _s.K).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        _b = Enumerable.Range(0, _s.K * _s.N).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        _c = new float[_s.M * _s.N];
        Parallelism.MaxThreads = Threads;
    }

    [Benchmark]
    public void Sgemm() => Gemm.Sgemm(_s.TA, _s.TB, _s.M, _s.N, _s.K, 1f,
        _a, _s.TA ? _s.M : _s.K, _b, _s.TB ? _s.K : _s.N, 0f, _c, _s.N);
}
