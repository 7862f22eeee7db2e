using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Spiking;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Spiking;

/// <summary>
/// The fused hidden-LIF → Linear op of <see cref="SpikingNetwork"/>: the event-driven products (<see cref="SpikeSparse"/>)
/// against the dense formulas, the fused network against the same network run child by child, and the reuse of its
/// [T, B, N] buffers (gradient accumulation over two passes, a stale retained graph, hooks).
/// </summary>
public sealed class SpikeLinearFusionTests
{
    // Spikes 0/1 at rate ~0.3, with an all-silent row and an all-firing row; widths with 8-lane tails.
    private static float[] Spikes(Rng rng, int rows, int n)
    {
        var u = Tensor.Rand(rng, [rows * n], 0f, 1f).ToArray();
        var s = u.Select(v => v < 0.3f ? 1f : 0f).ToArray();
        Array.Clear(s, 0, n);
        Array.Fill(s, 1f, n, n);
        return s;
    }

    [Theory]
    [InlineData(70, 37, 10)]
    [InlineData(5, 8, 17)]
    [InlineData(130, 3, 1)]
    public void EventForwardAndWeightGradientEqualTheDenseSumsInTheirOrder(int rows, int n, int outputs)
    {
        var rng = new Rng((ulong)(rows + n + outputs));
        var s = Spikes(rng, rows, n);
        var w = Tensor.Rand(rng, [outputs * n], -1f, 1f).ToArray();
        var b = Tensor.Rand(rng, [outputs], -1f, 1f).ToArray();
        var g = Tensor.Rand(rng, [rows * outputs + 3], -1f, 1f).ToArray(); // offset 3 into the storage
        var y = new float[rows * outputs];
        SpikeSparse.Forward(s, rows, n, w, b, outputs, y);
        var gw = new float[outputs * n];
        var gb = new float[outputs];
        SpikeSparse.WeightGrad(s, rows, n, g, 3, outputs, gw, gb);
        for (int c = 0; c < outputs; c++)
        {
            for (int r = 0; r < rows; r++)
            {
                float acc = 0f;
                double exact = b[c];
                for (int j = 0; j < n; j++)
                {
                    if (s[r * n + j] != 0f) acc += w[c * n + j];
                    exact += (double)s[r * n + j] * w[c * n + j];
                }
                Assert.Equal(BitConverter.SingleToInt32Bits(acc + b[c]), BitConverter.SingleToInt32Bits(y[r * outputs + c]));
                Assert.Equal(exact, y[r * outputs + c], 1e-5); // |sum| ≤ n + 1 ≤ 38 terms of |w| ≤ 1
            }
            float gbc = 0f;
            for (int r = 0; r < rows; r++) gbc += g[3 + r * outputs + c];
            Assert.Equal(gbc, gb[c]);
            for (int j = 0; j < n; j++)
            {
                float acc = 0f;
                for (int r = 0; r < rows; r++) if (s[r * n + j] != 0f) acc += g[3 + r * outputs + c];
                Assert.Equal(BitConverter.SingleToInt32Bits(acc), BitConverter.SingleToInt32Bits(gw[c * n + j]));
            }
        }
    }

    [Fact]
    public void FiredListsTheNonzeroEntriesInOrder()
    {
        var s = new float[19];
        foreach (int j in new[] { 0, 7, 8, 15, 16, 18 }) s[j] = 1f;
        s[3] = -0f;
        var into = new int[19];
        Assert.Equal(6, SpikeSparse.Fired(s, into));
        Assert.Equal(new[] { 0, 7, 8, 15, 16, 18 }, into[..6]);
    }

    private static (SpikingNetwork Net, Tensor X, int[] Y) Net(string spec = "snn:37,t=6,learn_beta=yes,learn_threshold=yes")
    {
        var net = Assert.IsType<SpikingNetwork>(ModelSpec.Parse(spec).Build(12, 5, new Rng(3)));
        var x = Tensor.Rand(new Rng(9), [9, 12], 0f, 3f);
        return (net, x, [0, 1, 2, 3, 4, 0, 1, 2, 3]);
    }

    private static (float Loss, float[] Scores, Dictionary<string, float[]> Grads) Step(SpikingNetwork net, Tensor x, int[] y)
    {
        net.ZeroGrad(setToNone: true);
        var (scores, loss) = net.ScoresAndLoss(x, y, 0f);
        loss.Backward();
        return (loss.ToArray()[0], scores.ToArray(), net.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Grad!.ToArray()));
    }

    [Theory]
    [InlineData("snn:37,t=6,learn_beta=yes,learn_threshold=yes")]
    [InlineData("snn:37,20,t=6,neuron=synaptic,reset=zero")]
    [InlineData("snn:37,t=6,encode=rate")]
    [InlineData("snn:37,20,t=6,neuron=adaptive")] // ALIF through the vectorised loop, both hidden layers fused with their Linear
    [InlineData("snn:37,70,t=6")] // 70 outputs above the first LIF layer: its spike gradients come from the GEMM
    public void FusedNetworkEqualsTheChildByChildNetwork(string spec)
    {
        // Two nets from one seed (a rate encoder draws new spikes on every call).
        var (childByChild, x, y) = Net(spec);
        childByChild.FuseLayers = false;
        var want = Step(childByChild, x, y);
        var got = Step(Net(spec).Net, x, y);
        Assert.Equal(want.Scores, got.Scores); // the same spikes
        Assert.True(want.Scores.Sum() > 0);
        Assert.Equal(want.Loss, got.Loss, 1e-5 * Math.Abs(want.Loss));
        foreach (var (name, g) in want.Grads)
        {
            // The two paths sum the same products in another order (events vs GEMM blocks): float rounding only.
            double scale = g.Max(Math.Abs);
            Assert.True(scale > 0, name);
            for (int i = 0; i < g.Length; i++)
                Assert.True(Math.Abs(g[i] - got.Grads[name][i]) <= 1e-5 * scale, $"{spec} {name}[{i}]: {got.Grads[name][i]} vs {g[i]}");
        }
    }

    [Theory]
    [InlineData("snn:37,t=6,learn_beta=yes,learn_threshold=yes")]
    [InlineData("snn:37,20,t=6,neuron=adaptive")]
    public void TheLinearInsideTheLoopsEqualsTheGemmPath(string spec)
    {
        var (gemm, x, y) = Net(spec);
        // Per-thread switches: this thread runs both passes, the GEMMs (the default) then the parts inside the loops.
        Assert.False(LifLayer.FusedReadout || LifLayer.RowWiseSpikeGrad || LifLayer.InLoopWeightGrad);
        var (wantLoss, wantScores, want) = Step(gemm, x, y);
        (float Loss, float[] Scores, Dictionary<string, float[]> Grads) got;
        (LifLayer.FusedReadout, LifLayer.RowWiseSpikeGrad, LifLayer.InLoopWeightGrad) = (true, true, true);
        try { got = Step(Net(spec).Net, x, y); }
        finally { (LifLayer.FusedReadout, LifLayer.RowWiseSpikeGrad, LifLayer.InLoopWeightGrad) = (false, false, false); }
        Assert.Equal(wantScores, got.Scores);
        Assert.Equal(wantLoss, got.Loss, 1e-5 * Math.Abs(wantLoss));
        foreach (var (name, g) in want)
        {
            // The same products summed in another order (lane sums and chunk partials vs GEMM blocks): float rounding only.
            double scale = g.Max(Math.Abs);
            Assert.True(scale > 0, name);
            for (int i = 0; i < g.Length; i++)
                Assert.True(Math.Abs(g[i] - got.Grads[name][i]) <= 1e-5 * scale, $"{spec} {name}[{i}]: {got.Grads[name][i]} vs {g[i]}");
        }
    }

    [Fact]
    public void TwoPassesBeforeOneBackwardAccumulateAndAnInferencePassLeavesAPendingGraphAlone()
    {
        var (net, x, y) = Net();
        var x2 = Tensor.Rand(new Rng(10), [9, 12], 0f, 3f);
        net.FuseLayers = false;
        var a = Step(net, x, y).Grads;
        var b = Step(net, x2, y).Grads;
        net.FuseLayers = true;
        Step(net, x, y); // leaves one pair in the pool
        net.ZeroGrad(setToNone: true);
        var l1 = net.ScoresAndLoss(x, y, 0f).Loss;
        using (Autograd.NoGrad()) net.Call(x2);     // l1 holds the pooled pair: a fresh one, pooled again at once
        var l2 = net.ScoresAndLoss(x2, y, 0f).Loss; // takes that one
        (l1 + l2).Backward();
        foreach (var p in net.NamedParameters())
        {
            var sum = p.Tensor.Grad!.ToArray();
            for (int i = 0; i < sum.Length; i++)
            {
                double want = (double)a[p.Name][i] + b[p.Name][i], scale = a[p.Name].Max(Math.Abs) + b[p.Name].Max(Math.Abs);
                Assert.True(Math.Abs(sum[i] - want) <= 1e-5 * scale, $"{p.Name}[{i}]: {sum[i]} vs {want}");
            }
        }
    }

    [Fact]
    public void ARetainedGraphWhoseBuffersWereReusedRaisesInsteadOfReadingAnotherPass()
    {
        var (net, x, y) = Net();
        var loss = net.ScoresAndLoss(x, y, 0f).Loss;
        loss.Backward(retainGraph: true);        // returns its buffers to the pool
        net.ScoresAndLoss(x, y, 0f).Loss.Backward(); // reuses them (and returns them again)
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("lif_linear", e.Message);
    }

    [Fact]
    public void AHookOnTheHiddenLayerSeesItsSpikesAndTheResultIsUnchanged()
    {
        var (net, x, y) = Net();
        var want = Step(net, x, y);
        Tensor? seen = null;
        using (net.Hook("1", (m, input, output) => { seen = output; return output; }))
        {
            var got = Step(net, x, y);
            Assert.Equal(want.Scores, got.Scores);
            Assert.Equal(want.Loss, got.Loss, 1e-5 * Math.Abs(want.Loss));
        }
        Assert.NotNull(seen);
        Assert.Equal(new[] { 6, 9, 37 }, seen!.Shape.ToArray());
        Assert.All(seen.ToArray(), v => Assert.True(v is 0f or 1f));
    }
}
