using System.Text;
using Nonlinear.Autodiff;
using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>
/// The sparse cubic B-spline path (live windows only) against the double reference and against the dense GEMM path, at
/// shapes that reach every tile of the kernels: 83 outputs = 64 + 16 + 3 lanes at 16-lane width, an odd batch (the
/// one-sample tail of the two-sample tile), 37 inputs (an input block of 5 after four of 8), adaptive grids, pruned edges
/// and inputs outside the grid.
/// </summary>
/// <remarks>
/// Bounds: forward |y − r| ≤ 1e-5·max|r| as in <see cref="KanLayerGradTests"/> (float sums of ≤ 37·5 terms); sparse vs
/// dense gradients |a − b| ≤ 2e-5·(|b| + max|b|) per tensor: both round float sums of the same terms in different orders.
/// A wrong window (off by one function) or a missing term moves values by O(max|b|).
/// </remarks>
public sealed class KanSparsePathTests
{
    private const int Batch = 19, In = 37, Out = 83;

    public static TheoryData<string> Configs => ["pykan", "bias-adaptive-grid", "masked", "no-base", "wide-inputs", "two-chunks"];

    private static (KanLayer Layer, float[] X) Make(string config, int batch = Batch)
    {
        // "two-chunks": more samples than one chunk of the sparse path (SparseSplineBuckets.ChunkRows = 512).
        if (config == "two-chunks") batch = 515;
        var rng = new Rng(11);
        var options = config switch
        {
            "no-base" => KanOptions.Pykan with { BaseBranch = false, NoiseScale = 3 },
            "bias-adaptive-grid" => KanOptions.Pykan with { Bias = true, NoiseScale = 3 },
            _ => KanOptions.Pykan with { NoiseScale = 3 },
        };
        var layer = new KanLayer(In, Out, options, rng) { SplinePath = KanSplinePath.Sparse };
        foreach (var p in layer.NamedParameters())
        {
            var s = p.Tensor.AsSpan();
            for (int q = 0; q < s.Length; q++) s[q] += (float)(0.5 * (rng.NextDouble() - 0.5));
        }
        // "wide-inputs" puts about a third of the inputs outside the grid [−1, 1] (all functions 0 there, and the edge
        // windows hang over the padding rows).
        double half = config == "wide-inputs" ? 1.6 : 1.0;
        var x = new float[batch * In];
        for (int q = 0; q < x.Length; q++) x[q] = (float)(half * (2 * rng.NextDouble() - 1));
        if (config == "bias-adaptive-grid")
        {
            var skewed = new float[256 * In];
            for (int q = 0; q < skewed.Length; q++) skewed[q] = (float)Math.Pow(rng.NextDouble(), 3) * 2 - 1;
            layer.UpdateGridFromSamples(Tensor.FromArray(skewed, 256, In));
        }
        if (config == "masked")
            for (int o = 0; o < Out; o += 3) layer.SetEdgeMask(o, (o * 7) % In, false);
        return (layer, x);
    }

    [Theory, MemberData(nameof(Configs))]
    public void ForwardMatchesTheDoubleReference(string config)
    {
        var (layer, xv) = Make(config);
        Assert.True(layer.UsesSparsePath);
        var y = Run(layer, xv, SimdTier.Auto, out _);
        var r = KanReference.Forward(layer, Array.ConvertAll(xv, v => (double)v), xv.Length / In, KanReference.Parameters(layer));
        double rmax = r.Max(Math.Abs);
        var fails = new StringBuilder();
        for (int q = 0; q < r.Length; q++)
            if (!(Math.Abs(y[q] - r[q]) <= 1e-5 * rmax)) fails.AppendLine($"y[{q / Out},{q % Out}] {y[q]:R} vs {r[q]:R}");
        Assert.True(fails.Length == 0, $"{config}:\n{fails}");
    }

    [Theory, MemberData(nameof(Configs))]
    public void GradientsMatchTheDensePath(string config)
    {
        var (layer, xv) = Make(config);
        Run(layer, xv, SimdTier.Auto, out var sparse);
        layer.SplinePath = KanSplinePath.Dense;
        Assert.False(layer.UsesSparsePath);
        Run(layer, xv, SimdTier.Auto, out var dense);
        var fails = new StringBuilder();
        foreach (var (name, b) in dense)
        {
            var a = sparse[name];
            double scale = b.Max(Math.Abs);
            Assert.True(scale > 0, $"{name}: the dense gradient is all zero, so the comparison would prove nothing");
            for (int j = 0; j < b.Length; j++)
                if (!(Math.Abs(a[j] - b[j]) <= 2e-5 * (Math.Abs(b[j]) + scale))) fails.AppendLine($"{name}[{j}]: sparse {a[j]:R}, dense {b[j]:R}");
        }
        Assert.True(fails.Length == 0, $"{config}:\n{fails}");
    }

    // The shape of the KAN paper's toy problem after grid extension: 2 inputs, 5 outputs (one padded tile), G = 20, a batch
    // of 1000 (two chunks), inputs that include the grid's ends.
    [Theory]
    [InlineData(20, 2, 5)]
    [InlineData(10, 5, 1)]
    public void FineGridSmallLayerMatchesTheDensePath(int grid, int inF, int outF)
    {
        var rng = new Rng(3);
        var layer = new KanLayer(inF, outF, KanOptions.Pykan with { GridSize = grid, NoiseScale = 3 }, rng) { SplinePath = KanSplinePath.Sparse };
        foreach (var p in layer.NamedParameters())
        {
            var sp = p.Tensor.AsSpan();
            for (int q = 0; q < sp.Length; q++) sp[q] += (float)(0.5 * (rng.NextDouble() - 0.5));
        }
        var xv = new float[1000 * inF];
        for (int q = 0; q < xv.Length; q++) xv[q] = (float)(2 * rng.NextDouble() - 1);
        xv[0] = -1f;
        xv[1] = 1f;
        (float[] Y, Dictionary<string, float[]> G) Pass(KanSplinePath path)
        {
            layer.SplinePath = path;
            layer.ZeroGrad();
            var x = Tensor.FromArray((float[])xv.Clone(), 1000, inF).RequireGrad();
            var y = layer.Forward(x);
            var w = new float[1000 * outF];
            var r = new Rng(5);
            for (int q = 0; q < w.Length; q++) w[q] = (float)(2 * r.NextDouble() - 1);
            y.Backward(Tensor.FromArray(w, 1000, outF));
            var grads = new Dictionary<string, float[]> { ["x"] = x.Grad!.ToArray() };
            foreach (var p in layer.NamedParameters()) grads[p.Name] = p.Tensor.Grad!.ToArray();
            return (y.ToArray(), grads);
        }
        var (ys, gs) = Pass(KanSplinePath.Sparse);
        var (yd, gd) = Pass(KanSplinePath.Dense);
        var fails = new StringBuilder();
        double ymax = yd.Max(Math.Abs);
        for (int q = 0; q < yd.Length; q++)
            if (!(Math.Abs(ys[q] - yd[q]) <= 1e-5 * ymax)) fails.AppendLine($"y[{q}] sparse {ys[q]:R}, dense {yd[q]:R}");
        foreach (var (name, b) in gd)
        {
            var a = gs[name];
            double scale = b.Max(Math.Abs);
            for (int j = 0; j < b.Length; j++)
                if (!(Math.Abs(a[j] - b[j]) <= 2e-5 * (Math.Abs(b[j]) + scale))) fails.AppendLine($"{name}[{j}]: sparse {a[j]:R}, dense {b[j]:R}");
        }
        Assert.True(fails.Length == 0, fails.ToString()[..Math.Min(3000, fails.Length)]);
    }

    // Every output lane adds its terms in one fixed order whatever the width, and chunks never share a sum.
    [Fact]
    public void EveryTierAndThreadCountGivesTheSameBits()
    {
        var (layer, xv) = Make("bias-adaptive-grid", batch: 515);
        var y0 = Run(layer, xv, SimdTier.Vec512, out var g0);
        int saved = Parallelism.MaxThreads;
        try
        {
            foreach (var (tier, threads) in new[] { (SimdTier.Vec256, 2), (SimdTier.Vec128, 2), (SimdTier.Scalar, 2), (SimdTier.Vec512, 1) })
            {
                Parallelism.MaxThreads = threads;
                Assert.Equal(y0, Run(layer, xv, tier, out var g));
                // dx ends in one horizontal sum per input, whose association follows the vector width: compare the weights' gradients.
                foreach (var (name, v) in g0)
                    if (name != "x") Assert.True(v.AsSpan().SequenceEqual(g[name]), $"{tier}, {threads} threads: {name} differs");
            }
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    [Fact]
    public void NaNInputGivesNaNOutputsOnItsRowOnly()
    {
        var (layer, xv) = Make("pykan");
        xv[3 * In + 5] = float.NaN;
        var y = Run(layer, xv, SimdTier.Auto, out _);
        for (int n = 0; n < Batch; n++)
            for (int o = 0; o < Out; o++)
                Assert.True(float.IsNaN(y[n * Out + o]) == (n == 3 && layer.IsEdgeActive(o, 5)), $"y[{n},{o}] = {y[n * Out + o]}");
    }

    [Fact]
    public void TheCostModelAndTheSparsePathsLimits()
    {
        var sparse = KanSplinePath.Sparse;
        Assert.False(new KanLayer(3, 2, KanOptions.Pykan with { SplineOrder = 2 }, new Rng(1)) { SplinePath = sparse }.UsesSparsePath);
        Assert.False(new KanLayer(3, 2, KanOptions.Selectable, new Rng(1)) { SplinePath = sparse }.UsesSparsePath);
        Assert.False(new KanLayer(3, 2, KanOptions.Pykan, new Rng(1)) { SplinePath = sparse, RecordEdgeStatistics = true }.UsesSparsePath);
        // The cost model: dense at G = 5; sparse on fine grids (pykan's grid extension goes to G = 20 and beyond) for wide
        // layers, dense for narrow ones, where a tile is mostly padding.
        Assert.False(new KanLayer(256, 64, KanOptions.Pykan, new Rng(1)).UsesSparsePath);
        Assert.False(new KanLayer(256, 256, KanOptions.Pykan, new Rng(1)).UsesSparsePath);
        Assert.True(new KanLayer(256, 256, KanOptions.Pykan with { GridSize = 20 }, new Rng(1)).UsesSparsePath);
        Assert.False(new KanLayer(2, 5, KanOptions.Pykan with { GridSize = 20 }, new Rng(1)).UsesSparsePath);
        Assert.True(new KanLayer(784, 64, KanOptions.Pykan with { GridSize = 20 }, new Rng(1)).UsesSparsePath);
    }

    // y, then the gradients of L = Σ w⊙y (fixed w) with respect to x and every parameter.
    private static float[] Run(KanLayer layer, float[] xv, SimdTier tier, out Dictionary<string, float[]> grads)
    {
        layer.Tier = tier;
        layer.ZeroGrad();
        int batch = xv.Length / In;
        var x = Tensor.FromArray((float[])xv.Clone(), batch, In).RequireGrad();
        var y = layer.Forward(x);
        var w = new float[batch * Out];
        var rng = new Rng(5);
        for (int q = 0; q < w.Length; q++) w[q] = (float)(2 * rng.NextDouble() - 1);
        y.Backward(Tensor.FromArray(w, batch, Out));
        grads = new Dictionary<string, float[]> { ["x"] = x.Grad!.ToArray() };
        foreach (var p in layer.NamedParameters()) grads[p.Name] = p.Tensor.Grad!.ToArray();
        return y.ToArray();
    }
}
