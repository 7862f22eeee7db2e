using Nonlinear.Data;
using Nonlinear.Kan;
using Nonlinear.Kan.Interpret;
using Nonlinear.Kan.Symbolic;
using Nonlinear.Layers;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;
using Xunit.Abstractions;

namespace Nonlinear.Tests.KanTools;

public class ToyScratch(ITestOutputHelper log)
{
    [Theory]
    [InlineData(5)]
    public void Scratch(int g)
    {
        var f = ExprParser.Parse("exp(sin(pi*x)+y^2)");
        var rng = new Rng(0);
        var tr = FormulaData.Sample(f, 1000, rng);
        var te = FormulaData.Sample(f, 1000, rng);
        var xtr = Tensor.FromArray(tr.Features, 1000, 2); var ytr = Tensor.FromArray(tr.Targets!, 1000, 1);
        var xte = Tensor.FromArray(te.Features, 1000, 2); var yte = Tensor.FromArray(te.Targets!, 1000, 1);
        var o = new KanOptions { GridSize = g };
        var model = new Sequential(new KanLayer(2, 5, o, rng), new KanLayer(5, 1, o, rng));
        var layers = KanStack.Layers(model);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var reg = new KanRegularizationOptions(Lambda: 0.01);
        FullBatch.Train(model.Parameters(), () => { var (y, ins) = KanStack.Forward(layers, xtr); return (y, KanRegularization.Penalty(layers, ins, reg)); }, ytr,
            new FullBatchOptions(Steps: 30), (s, m) => { if (s % 10 == 9) log.WriteLine($"reg step {s} train rmse {Math.Sqrt(m):G3} t={sw.Elapsed.TotalSeconds:F1}"); });
        var scores = KanPruning.EdgeScores(layers, xtr);
        log.WriteLine("scores0 " + string.Join(" ", scores[0].Select(v => v.ToString("G2"))));
        log.WriteLine("scores1 " + string.Join(" ", scores[1].Select(v => v.ToString("G2"))));
        var pr = KanPruning.Prune(layers, xtr);
        log.WriteLine($"pruned to {pr.Shape}");
        FullBatch.Train(model, xtr, ytr, new FullBatchOptions(Steps: 30));
        log.WriteLine($"G={g} test {FullBatch.Rmse(model, xte, yte):G3} train {FullBatch.Rmse(model, xtr, ytr):G3} in {sw.Elapsed.TotalSeconds:F1}s");
        var fits = KanAutoSymbolic.Run(layers, xtr);
        foreach (var fit in fits) log.WriteLine($"edge {fit.Layer},{fit.Output},{fit.Input}: {fit.Fit}");
        var formula = KanFormula.Build(layers)[0];
        log.WriteLine("formula " + formula + "   latex " + ExprFormat.Latex(formula));
        log.WriteLine($"symbolic test {FullBatch.Rmse(model, xte, yte):G3} t={sw.Elapsed.TotalSeconds:F1}");
    }
}
