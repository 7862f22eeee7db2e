using Nonlinear.Kan;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>The public hooks the KAN tools build on: edge evaluation, mask, statistics, symbolic edges; buffer reuse.</summary>
public sealed class KanLayerHookTests
{
    private static (KanLayer Layer, Tensor X) Setup(string config = "skan", int n = 8)
    {
        var rng = new Rng(21);
        var layer = KanLayerGradTests.Make(config, 3, 4, rng);
        var x = Tensor.Rand(rng, [n, 3], -1.2f, 1.2f);
        return (layer, x);
    }

    [Fact]
    public void EdgeOutputsSumToTheForward()
    {
        var (layer, x) = Setup("masked-symbolic");
        var y = layer.Forward(x).ToArray();
        var xs = x.ToArray();
        var bias = layer.Bias!.ToArray();
        for (int r = 0; r < 8; r++)
            for (int o = 0; o < 4; o++)
            {
                double s = bias[o], mag = Math.Abs(bias[o]);
                for (int i = 0; i < 3; i++)
                {
                    double v = layer.EdgeOutput(o, i, [xs[r * 3 + i]])[0];
                    s += v;
                    mag += Math.Abs(v);
                }
                Assert.True(Math.Abs(y[r * 4 + o] - s) <= 1e-6 * mag, $"y[{r},{o}] = {y[r * 4 + o]}, Σ edges = {s}");
            }
    }

    [Fact]
    public void MaskedEdgeContributesNothingAndLearnsNothing()
    {
        var (layer, x) = Setup("skan");
        var xs = x.ToArray();
        var before = layer.Forward(x).ToArray();
        double edge10 = 0;
        layer.SetEdgeMask(1, 0, false);
        Assert.False(layer.IsEdgeActive(1, 0));
        var y = layer.Forward(x);
        var after = y.ToArray();
        for (int r = 0; r < 8; r++)
        {
            edge10 = layer.EdgeFunction(1, 0, [xs[r * 3]])[0];
            Assert.True(Math.Abs(before[r * 4 + 1] - edge10 - after[r * 4 + 1]) <= 1e-5, "output 1 lost exactly edge (1,0)");
            Assert.Equal(before[r * 4], after[r * 4]);
        }
        y.Backward(Tensor.Ones(8, 4));
        foreach (var c in layer.Coefficients)
        {
            var g = c.Grad!.ToArray();
            int nb = c.Size(2);
            for (int j = 0; j < nb; j++) Assert.Equal(0f, g[(1 * 3 + 0) * nb + j]);
            Assert.Contains(g, v => v != 0f);
        }
        Assert.Equal(0f, layer.ScaleBase!.Grad!.ToArray()[1 * 3 + 0]);
        Assert.Equal(0f, layer.ScaleSp.Grad!.ToArray()[1 * 3 + 0]);
    }

    [Fact]
    public void StatisticsAreMeanAbsoluteEdgeOutputsAndOnlyWhenAsked()
    {
        var (layer, x) = Setup("masked-symbolic", 16);
        layer.Forward(x);
        Assert.Null(layer.LastStatistics);
        layer.RecordEdgeStatistics = true;
        var y = layer.Forward(x).ToArray();
        var st = layer.LastStatistics!;
        var xs = x.ToArray();
        for (int o = 0; o < 4; o++)
            for (int i = 0; i < 3; i++)
            {
                var col = Enumerable.Range(0, 16).Select(r => (double)xs[r * 3 + i]).ToArray();
                double want = layer.EdgeOutput(o, i, col).Average(Math.Abs);
                Assert.True(Math.Abs(st.MeanAbs[o * 3 + i] - want) <= 1e-5 * Math.Max(want, 1e-3), $"edge ({o},{i}): {st.MeanAbs[o * 3 + i]} vs {want}");
            }
        Assert.Equal(0f, st.MeanAbs[1 * 3 + 0]);  // pruned in "masked-symbolic"
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Enumerable.Range(0, 16).Min(r => xs[r * 3 + i]), st.InputMin[i]);
            Assert.Equal(Enumerable.Range(0, 16).Max(r => xs[r * 3 + i]), st.InputMax[i]);
        }
        Assert.Equal(xs, st.InputSamples);
        for (int o = 0; o < 4; o++)
            Assert.True(Math.Abs(st.OutputMeanAbs[o] - Enumerable.Range(0, 16).Average(r => Math.Abs(y[r * 4 + o]))) <= 1e-5);
    }

    [Fact]
    public void SymbolicEdgeReplacesTheLearnedFunction()
    {
        var (layer, x) = Setup("pykan");
        var sym = new SymbolicEdge("x^2", v => v * v, v => 2 * v, A: 2, B: -0.5, C: 0.3, D: 0.1);
        layer.SetSymbolic(2, 1, sym);
        Assert.False(layer.IsEdgeActive(2, 1));
        Assert.Same(sym, layer.GetSymbolic(2, 1));
        var xs = new double[] { -1, -0.3, 0.2, 0.9 };
        var ys = layer.EdgeOutput(2, 1, xs);
        for (int q = 0; q < xs.Length; q++) Assert.Equal(0.3 * Math.Pow(2 * xs[q] - 0.5, 2) + 0.1, ys[q], 12);
        layer.ClearSymbolic(2, 1);
        Assert.Null(layer.GetSymbolic(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.SetEdgeMask(4, 0, true));
    }

    [Fact]
    public void SecondBackwardThroughTheSameGraphThrows()
    {
        var (layer, x) = Setup("pykan");
        var y = layer.Forward(x.RequireGrad());
        y.Backward(Tensor.Ones(8, 4));
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward(Tensor.Ones(8, 4)));
        Assert.Contains("second time", ex.Message);
    }

    [Fact]
    public void ReusedBuffersAndInPlaceAccumulationGiveTheSameGradients()
    {
        var (layer, x) = Setup("skan");
        var gy = Tensor.Randn(new Rng(4), [8, 4]);
        layer.Forward(x).Backward(gy);
        var first = layer.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Grad!.ToArray());
        // Second step: grads kept by ZeroGrad (in-place accumulation path) and pooled feature buffers.
        layer.ZeroGrad();
        layer.Forward(x).Backward(gy);
        foreach (var p in layer.NamedParameters()) Assert.Equal(first[p.Name], p.Tensor.Grad!.ToArray());
        // Without ZeroGrad the gradients add up.
        layer.Forward(x).Backward(gy);
        foreach (var p in layer.NamedParameters())
        {
            var g = p.Tensor.Grad!.ToArray();
            for (int q = 0; q < g.Length; q++) Assert.True(Math.Abs(g[q] - 2 * first[p.Name][q]) <= 1e-6 * (1 + Math.Abs(g[q])), p.Name);
        }
    }
}
