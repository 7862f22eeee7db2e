using System.Diagnostics;
using Nonlinear.Autodiff;
using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Where the time of a dense KAN layer goes (batch 1024): each stage of <see cref="KanLayer"/>'s forward and backward
/// timed on its own with the layer's buffers, next to the whole layer, so the non-GEMM overhead is visible.
/// `dotnet bench/Nonlinear.Benchmarks/bin/Release/net10.0/Nonlinear.Benchmarks.dll kan-breakdown 2 [in out [name-prefix]]`.
/// </summary>
public static class KanBreakdown
{
    public static void Run(int threads, int fin = 256, int fout = 256, string only = "", int batch = 1024)
    {
        Parallelism.MaxThreads = threads;
        Console.WriteLine($"threads={threads} tier={Simd.Best} batch={batch} {fin}→{fout}; median ms per call (cpu-ms in brackets)");
        foreach (var (name, options) in KanLayerBench.Layers)
        {
            if (only != "" && !name.StartsWith(only, StringComparison.Ordinal)) continue;
            var rng = new Rng(0);
            var layer = new KanLayer(fin, fout, options, rng);
            int k = layer.FeatureCount, n = batch;
            var x = Tensor.Rand(rng, [batch, fin], -1f, 1f);
            var xr = Tensor.Rand(rng, [batch, fin], -1f, 1f).RequireGrad();
            var gy = Tensor.Randn(rng, [batch, fout]);
            var xs = x.AsSpan().ToArray();
            var g = gy.AsSpan().ToArray();
            var f = new float[n * k];
            var w = new float[fout * k];
            var gw = new float[fout * k];
            var gf = new float[512 * k];
            var dx = new float[n * fin];
            var mix = layer.MixWeights();
            layer.Forward(xr).Backward(gy);    // gradient buffers exist: the unfold accumulates in place, as in training
            int slots = 2 + layer.Spaces.Count + (layer.ScaleBase is null ? 0 : 1) + (layer.MixLogits is null ? 0 : 1) + (layer.Bias is null ? 0 : 1);
            Console.WriteLine($"{name} K={k}");
            var parts = new List<(string, Action)>();
            if (layer.Norm is not null)
            {
                parts.Add(("layernorm fwd", () => { using var _ = Autograd.NoGrad(); layer.Norm.Forward(x); }));
                var gn = Tensor.Randn(rng, [batch, fin]);
                parts.Add(("layernorm fwd+bwd", () => { layer.Norm.ZeroGrad(); xr.Grad = null; layer.Norm.Forward(xr).Backward(gn); }));
            }
            if (layer.ScaleBase is not null)
            {
                parts.Add(("expand silu", () => KanBasisDriver.Expand(new SiluBase(), xs, n, fin, f, k, 0)));
                parts.Add(("inputgrad silu", () => KanBasisDriver.AccumulateInputGrad(new SiluBase(), xs, n, fin, f, k, 0, dx)));
            }
            for (int s = 0; s < layer.Spaces.Count; s++)
            {
                var sp = layer.Spaces[s];
                int off = layer.FeatureOffset(s);
                parts.Add(($"expand {sp.Name}", () => { sp.Prepare(); sp.Expand(xs, n, f, k, off); }));
                parts.Add(($"inputgrad {sp.Name}", () => { sp.Prepare(); sp.AccumulateInputGrad(xs, n, f, k, off, dx); }));
            }
            parts.Add(("mix+fold weights", () => layer.FoldedWeights(layer.MixWeights(), w)));
            parts.Add(("unfold gW", () => layer.UnfoldWeightGrad(gw, mix, new Tensor?[slots])));
            parts.Add(("gemm F·Wᵀ", () => Gemm.Sgemm(false, true, n, fout, k, 1f, f, k, w, k, 0f, new float[n * fout], fout)));
            parts.Add(("gemm gᵀ·F", () => Gemm.Sgemm(true, false, fout, k, n, 1f, g, fout, f, k, 0f, gw, k)));
            parts.Add(("gemm g·W (2 blocks)", () =>
            {
                for (int r0 = 0; r0 < n; r0 += 512)
                    Gemm.Sgemm(false, false, Math.Min(512, n - r0), k, fout, 1f, g.AsSpan(r0 * fout), fout, w, k, 0f, gf, k);
            }));
            parts.Add(("layer fwd", () => { using var _ = Autograd.NoGrad(); layer.Forward(x); }));
            parts.Add(("layer fwd+bwd", () => { layer.ZeroGrad(); xr.Grad = null; layer.Forward(xr).Backward(gy); }));
            foreach (var (label, act) in parts)
            {
                long f0 = MinorFaults();
                var (wall, cpu, calls) = KanLayerBench.Median(act, count: 5, warmMs: 100);
                Console.WriteLine($"  {label,-22} {wall,8:F3} ms  ({cpu:F3})  faults/call {(MinorFaults() - f0) / (double)calls:F0}");
            }
        }
    }

    // Minor page faults of this process so far (first touches of fresh memory: ~11 µs per 4 KiB on the reference VM).
    private static long MinorFaults() => long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7]);

    /// <summary>One layer's forward+backward in a loop, nothing else (for `perf record`): kan-loop threads name in out reps.</summary>
    public static void Loop(int threads, string only, int fin, int fout, int reps, int batch = 1024)
    {
        Parallelism.MaxThreads = threads;
        var (_, options) = KanLayerBench.Layers.First(l => l.Name.StartsWith(only, StringComparison.Ordinal));
        var rng = new Rng(0);
        var layer = new KanLayer(fin, fout, options, rng);
        var xr = Tensor.Rand(rng, [batch, fin], -1f, 1f).RequireGrad();
        var gy = Tensor.Randn(rng, [batch, fout]);
        var sw = Stopwatch.StartNew();
        for (int r = 0; r < reps; r++) { layer.ZeroGrad(); xr.Grad = null; layer.Forward(xr).Backward(gy); }
        Console.WriteLine($"{only} {fin}x{fout}: {sw.Elapsed.TotalMilliseconds / reps:F3} ms per forward+backward");
    }
}
