using Nonlinear.Optim;
using Nonlinear.Kan;
using Nonlinear.Kan.Interpret;
using Nonlinear.Kan.Symbolic;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.KanTools;

/// <summary>Auto-symbolic on a trained one-layer KAN: the planted functions are identified and the formula is exact.</summary>
public class KanAutoSymbolicTests
{
    [Fact]
    public void RecoversAPlantedAdditiveFormula()
    {
        // f(x, y) = 2x² − 0.5·sin(πy): a [2,1] KAN represents it exactly (one edge per term).
        var rng = new Rng(3);
        var x = Tensor.Rand(rng, [500, 2], -1f, 1f);
        var xs = x.ToArray();
        double F(double a, double b) => 2 * a * a - 0.5 * Math.Sin(Math.PI * b);
        var y = Tensor.FromArray(Enumerable.Range(0, 500).Select(r => (float)F(xs[2 * r], xs[2 * r + 1])).ToArray(), 500, 1);
        var net = new KanNetwork([2, 1], KanOptions.Pykan with { GridSize = 10 }, new Rng(0));
        FullBatch.Train(net, x, y, new FullBatchOptions(Steps: 20));
        Assert.True(FullBatch.Rmse(net, x, y) < 1e-3, $"spline fit RMSE {FullBatch.Rmse(net, x, y):G3}");

        var library = new[] { "x", "x^2", "x^3", "sin", "exp", "tanh" }.Select(SymbolicLibrary.Get).ToArray();
        var fits = KanAutoSymbolic.Run(net.Layers, x, library: library);
        Assert.Equal(["x^2", "sin"], fits.OrderBy(f => f.Input).Select(f => f.Fit.Function.Name));
        var (before, after) = KanSymbolicRefine.Refine(net.Layers, x, y);
        Assert.True(after <= before && after < 1e-5, $"symbolic RMSE {before:G3} → {after:G3}");

        var formula = KanFormula.Build(net.Layers, digits: 0, zeroBelow: 0)[0];
        for (int r = 0; r < 50; r++)
            Assert.Equal(F(xs[2 * r], xs[2 * r + 1]), formula.Evaluate([xs[2 * r], xs[2 * r + 1]]), 1e-5);
        string text = KanFormula.Build(net.Layers)[0].ToString();
        Assert.Contains("x^2", text);
        Assert.Contains("sin(3.142*y)", text);
    }
}
