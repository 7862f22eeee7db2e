using Nonlinear.Autodiff;
using Nonlinear.Kan;
using Nonlinear.Kan.Interpret;
using Nonlinear.Kan.Symbolic;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.KanTools;

/// <summary>Sparsity regularisation, pruning, formula assembly and symbolic refinement on small hand-made KANs.</summary>
public class KanToolsTests
{
    private static Tensor Inputs(int n, int d, ulong seed) => Tensor.Rand(new Rng(seed), [n, d], -1f, 1f);

    [Fact]
    public void PenaltyMatchesThePapersDefinitionFromEdgeFunctions()
    {
        var net = new KanNetwork([2, 3, 1], KanOptions.Pykan, new Rng(4));
        var x = Inputs(64, 2, 5);
        var inputs = net.LayerInputs(x);
        var reg = new KanRegularizationOptions(Lambda: 0.5, L1: 1.5, Entropy: 2);
        double expected = 0;
        for (int l = 0; l < 2; l++)
        {
            var layer = net.Layers[l];
            var xin = inputs[l].ToArray();
            var a = new List<double>();
            for (int o = 0; o < layer.OutFeatures; o++)
                for (int i = 0; i < layer.InFeatures; i++)
                {
                    var col = Enumerable.Range(0, 64).Select(r => (double)xin[r * layer.InFeatures + i]).ToArray();
                    a.Add(layer.EdgeFunction(o, i, col).Select(Math.Abs).Average());
                }
            double sum = a.Sum();
            double entropy = -a.Sum(v => v / sum * Math.Log2(v / sum + 1e-4));
            expected += 1.5 * sum + 2 * entropy;
        }
        expected *= 0.5;
        double actual = KanRegularization.Penalty(net.Layers, inputs, reg).Item();
        Assert.Equal(expected, actual, 1e-4 * expected);
    }

    [Fact]
    public void PenaltyGradientMatchesFiniteDifferences()
    {
        var net = new KanNetwork([2, 2, 1], KanOptions.Pykan, new Rng(8));
        var x = Inputs(32, 2, 9);
        var reg = new KanRegularizationOptions(Lambda: 1, L1: 1, Entropy: 2);
        // The penalty treats each layer's input as a constant (documented), so the layer inputs stay fixed while a
        // parameter is perturbed; otherwise layer 0's parameters would also move layer 1's inputs.
        var inputs = net.LayerInputs(x);
        double Eval() { using var _ = Autograd.NoGrad(); return KanRegularization.Penalty(net.Layers, inputs, reg).Item(); }
        net.ZeroGrad();
        KanRegularization.Penalty(net.Layers, inputs, reg).Backward();
        foreach (var p in net.Parameters())
        {
            var span = p.AsSpan();
            var grad = p.Grad!.ToArray();
            for (int k = 0; k < span.Length; k += Math.Max(1, span.Length / 5))
            {
                float keep = span[k];
                const float h = 1e-4f;
                span[k] = keep + h; double up = Eval();
                span[k] = keep - h; double down = Eval();
                span[k] = keep;
                double fd = (up - down) / (2 * h);
                // The penalty is evaluated in float32 (≈ 3 units, so rounding noise ≈ 1e-7·3/h ≈ 3e-3 in the quotient) and h must
                // stay small because of |·|'s kink and log's curvature: tolerance 6e-3 absolute + 2 % relative.
                Assert.True(Math.Abs(fd - grad[k]) <= 6e-3 + 0.02 * Math.Abs(fd), $"{p} [{k}]: autograd {grad[k]}, finite difference {fd}");
            }
        }
    }

    [Fact]
    public void PruningRemovesAHiddenNodeWithoutOutgoingSignal()
    {
        var net = new KanNetwork([2, 3, 1], KanOptions.Pykan, new Rng(2));
        var outLayer = net.Layers[1];
        // Hidden node 1 feeds nothing: zero its outgoing edge function (base and spline scales).
        outLayer.ScaleBase!.AsSpan()[1] = 0;
        outLayer.ScaleSp.AsSpan()[1] = 0;
        var x = Inputs(200, 2, 3);
        var result = KanPruning.Prune(net.Layers, x);
        Assert.Equal("[2, 2, 1]", result.Shape);
        Assert.Equal([(1, 1)], result.PrunedNodes);
        Assert.False(net.Layers[0].IsEdgeActive(1, 0));
        Assert.False(net.Layers[0].IsEdgeActive(1, 1));
        Assert.False(outLayer.IsEdgeActive(0, 1));
        Assert.True(net.Layers[0].IsEdgeActive(0, 0) && net.Layers[0].IsEdgeActive(2, 1) && outLayer.IsEdgeActive(0, 2));
    }

    [Fact]
    public void FormulaOfASymbolicNetworkEvaluatesLikeTheNetwork()
    {
        // exp(sin(πx) + y²) written into a [2,1,1] KAN by hand; the formula must read back and evaluate identically.
        var net = new KanNetwork([2, 1, 1], KanOptions.Pykan, new Rng(1));
        SymbolicEdge Edge(string f, double a, double b, double c, double d) =>
            KanAutoSymbolic.ToEdge(new SymbolicFit(SymbolicLibrary.Get(f), a, b, c, d, 1, 0));
        net.Layers[0].SetSymbolic(0, 0, Edge("sin", Math.PI, 0, 1, 0.25));
        net.Layers[0].SetSymbolic(0, 1, Edge("x^2", 1, 0, 1, -0.25));
        net.Layers[1].SetSymbolic(0, 0, Edge("exp", 1, 0, 1, 0));
        var formula = KanFormula.Build(net.Layers)[0];
        Assert.Equal("exp(sin(3.142*x) + y^2)", formula.ToString());
        Assert.Equal("\\exp\\left(\\sin\\left(3.142 x\\right) + {y}^{2}\\right)", ExprFormat.Latex(formula));
        var exact = KanFormula.Build(net.Layers, digits: 0)[0];
        var x = Inputs(50, 2, 7);
        var xs = x.ToArray();
        float[] y;
        using (Autograd.NoGrad()) y = net.Forward(x).ToArray();
        for (int r = 0; r < 50; r++)
        {
            double truth = Math.Exp(Math.Sin(Math.PI * xs[2 * r]) + (double)xs[2 * r + 1] * xs[2 * r + 1]);
            Assert.Equal(truth, exact.Evaluate([xs[2 * r], xs[2 * r + 1]]), 1e-12);
            Assert.Equal(truth, y[r], 2e-6 * truth);
        }
    }

    [Fact]
    public void FormulaRefusesLearnedEdges()
    {
        var net = new KanNetwork([2, 1], KanOptions.Pykan, new Rng(1));
        var e = Assert.Throws<InvalidOperationException>(() => KanFormula.Build(net.Layers));
        Assert.Contains("(0,0,0), (0,0,1)", e.Message);
    }

    [Fact]
    public void JointRefinementRepairsPerturbedConstants()
    {
        var net = new KanNetwork([2, 1, 1], KanOptions.Pykan, new Rng(1));
        SymbolicEdge Edge(string f, double a, double b, double c, double d) =>
            KanAutoSymbolic.ToEdge(new SymbolicFit(SymbolicLibrary.Get(f), a, b, c, d, 1, 0));
        var x = Inputs(300, 2, 11);
        var xs = x.ToArray();
        var y = Tensor.FromArray(Enumerable.Range(0, 300).Select(r => (float)Math.Exp(Math.Sin(Math.PI * xs[2 * r]) + xs[2 * r + 1] * xs[2 * r + 1])).ToArray(), 300, 1);
        net.Layers[0].SetSymbolic(0, 0, Edge("sin", 3.0, 0.05, 0.95, 0.1));
        net.Layers[0].SetSymbolic(0, 1, Edge("x^2", 1.05, 0.02, 1, -0.1));
        net.Layers[1].SetSymbolic(0, 0, Edge("exp", 1.02, 0, 1.03, 0.02));
        var (before, after) = KanSymbolicRefine.Refine(net.Layers, x, y);
        Assert.True(before > 0.05, $"perturbation too small: {before}");
        Assert.True(after < 1e-5, $"refined RMSE {after:G3} (before {before:G3})");
    }
}
