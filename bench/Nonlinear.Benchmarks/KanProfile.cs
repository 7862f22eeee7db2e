using System.Diagnostics;
using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

public static class KanProfile
{
    public static void Run(int threads)
    {
        Parallelism.MaxThreads = threads;
        var rng = new Rng(0);
        int n = 1024, fin = 256, fout = 256;
        var layer = new KanLayer(fin, fout, KanOptions.Pykan, rng);
        var x = Tensor.Rand(rng, [n, fin], -1f, 1f).ToArray();
        float[] f = layer.Features(x, n);
        var mix = layer.MixWeights();
        float[] w = layer.FoldedWeights(mix);
        var y = new float[n * fout];
        int k = layer.FeatureCount;
        T("features", () => layer.Features(x, n));
        foreach (var o in new[] { KanOptions.Pykan, KanOptions.FastKan, KanOptions.ChebyKan })
        {
            var l2 = new KanLayer(fin, fout, o with { BaseBranch = false }, rng);
            T("features " + l2.Spaces[0].Name, () => l2.Features(x, n));
        }
        var fs = new float[n * fin];
        T("silu expand", () => KanBasisDriver.Expand(new SiluBase(), x, n, fin, fs, fin, 0));
        T("silu activ", () => Nonlinear.Kernels.UnaryDriver.Forward(new Nonlinear.Activations.Silu(1f), x, fs));
        T("fold", () => layer.FoldedWeights(mix));
        T("gemm fwd", () => Gemm.Sgemm(false, true, n, fout, k, 1f, f, k, w, k, 0f, y, fout));
        var gw = new float[fout * k];
        T("gemm gW", () => Gemm.Sgemm(true, false, fout, k, n, 1f, y, fout, f, k, 0f, gw, k));
        var gf = new float[n * k];
        T("gemm gF", () => Gemm.Sgemm(false, false, n, k, fout, 1f, y, fout, w, k, 0f, gf, k));
        var dx = new float[n * fin];
        T("dx bspline", () => layer.Spaces[0].AccumulateInputGrad(x, n, gf, k, layer.FeatureOffset(0), dx));
    }

    private static void T(string name, Action a)
    {
        for (int i = 0; i < 2; i++) a();
        var s = new double[5];
        for (int i = 0; i < 5; i++) { var sw = Stopwatch.StartNew(); a(); s[i] = sw.Elapsed.TotalMilliseconds; }
        Array.Sort(s);
        Console.WriteLine($"{name,-12} {s[2],8:F3} ms (min {s[0]:F3})");
    }
}
