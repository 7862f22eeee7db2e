using System.Diagnostics;
using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Where the time of a cubic B-spline KAN layer goes (256→256, batch 1024 unless given): each step of the sparse path
/// and the dense GEMMs it replaces, median and minimum wall ms and the median CPU ms of 15 samples of 3 calls.
/// `dotnet run -c Release --project bench/Nonlinear.Benchmarks -- kan-parts 2 [in out batch G]`.
/// </summary>
public static class KanPartsBench
{
    public static void Run(int threads, int inF = 256, int outF = 256, int batch = 1024, int grid = 5)
    {
        Parallelism.MaxThreads = threads;
        var rng = new Rng(0);
        var layer = new KanLayer(inF, outF, KanOptions.Pykan with { GridSize = grid }, rng);
        var splines = (BSplineBasis)layer.Spaces[0];
        var x = Tensor.Rand(rng, [batch, inF], -1f, 1f).ToArray();
        var g = Tensor.Randn(rng, [batch, outF]).ToArray();
        int k = layer.FeatureCount, rows = 1 + splines.Count + 6;
        var dense = new float[batch * k];
        var mix = layer.MixWeights();
        var w = layer.FoldedWeights(mix);
        int outP = SparseSplineDriver.PaddedOutputs(outF);
        float[]? padded = null;
        int plen = inF * rows * outP;
        SparseSplineDriver.Aligned(ref padded, plen);
        var y = new float[batch * outF];
        var gw = new float[outF * k];
        Console.WriteLine($"threads={threads} tier={Simd.Best} {inF}->{outF} batch={batch} G={grid}");
        var buckets = new SparseSplineBuckets();
        var dx = new float[batch * inF];
        float[] gsb = new float[outF * inF], gsp = new float[outF * inF], gcoef = new float[outF * inF * splines.Count];
        Report("sparse: windows + buckets (no derivatives)", () => buckets.Build(splines.KernelForSparse, x, batch, inF, SimdTier.Auto, derivatives: false));
        Report("sparse: windows + buckets + derivatives", () => buckets.Build(splines.KernelForSparse, x, batch, inF, SimdTier.Auto, derivatives: true));
        Report("sparse: fold parameters to padded", () => SparseSplineDriver.Fold(layer.ScaleBase!.AsSpan(), layer.ScaleSp.AsSpan(), layer.Coefficients[0].AsSpan(),
            layer.Mask.AsSpan(), outF, inF, splines.Count, SparseSplineDriver.Aligned(ref padded, plen), rows));
        Report("sparse: forward kernel", () => SparseSplineDriver.Forward(buckets, SparseSplineDriver.Aligned(ref padded, plen), rows, y, outP, SimdTier.Auto));
        Report("sparse: weight-gradient kernel", () => SparseSplineDriver.WeightGrad(buckets, g, outP, SparseSplineDriver.Aligned(ref padded, plen), rows, SimdTier.Auto));
        Report("sparse: unfold gradient to parameters", () => SparseSplineDriver.Unfold(SparseSplineDriver.Aligned(ref padded, plen), rows, layer.ScaleSp.AsSpan(),
            layer.Coefficients[0].AsSpan(), layer.Mask.AsSpan(), outF, inF, splines.Count, gsb, gsp, gcoef, 0, accumulate: false));
        Report("sparse: input-gradient kernel", () => SparseSplineDriver.InputGrad(buckets, SparseSplineDriver.Aligned(ref padded, plen), rows, g, outP, dx, SimdTier.Auto));
        // What a fresh output costs: the layer returns new y and dx arrays every call (1 MB each at 256→256, batch 1024).
        Report("allocate and fill a fresh y [batch, out]", () => GC.AllocateUninitializedArray<float>(batch * outF).AsSpan().Fill(1f));
        Report("dense: spline expansion (no silu)", () => splines.Expand(x, batch, dense, k, inF));
        Report("dense: forward GEMM F·Wᵀ", () => Gemm.Sgemm(false, true, batch, outF, k, 1f, dense, k, w, k, 0f, y, outF));
        Report("dense: weight GEMM gᵀ·F", () => Gemm.Sgemm(true, false, outF, k, batch, 1f, g, outF, dense, k, 0f, gw, k));
        Report("dense: spline input-gradient kernel", () => splines.AccumulateInputGrad(x, batch, dense, k, inF, dx));
        Report("dense: input GEMM g·W", () => Gemm.Sgemm(false, false, batch, k, outF, 1f, g, outF, w, k, 0f, dense, k));
    }

    private static void Report(string name, Action once)
    {
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < 3; i++) once();
        var wall = new double[15];
        var cpu = new double[15];
        var sw = new Stopwatch();
        for (int s = 0; s < wall.Length; s++)
        {
            process.Refresh();
            var c0 = process.TotalProcessorTime;
            sw.Restart();
            for (int r = 0; r < 3; r++) once();
            wall[s] = sw.Elapsed.TotalMilliseconds / 3;
            process.Refresh();
            cpu[s] = (process.TotalProcessorTime - c0).TotalMilliseconds / 3;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        Console.WriteLine($"{name,-36} {wall[7],8:F3} ms  (min {wall[0]:F3}, cpu {cpu[7]:F3} ms)");
    }
}
