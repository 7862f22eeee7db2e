using Nonlinear.Optim;
using System.Diagnostics;
using Nonlinear.Kan.Symbolic;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>One stage's outcome.</summary>
/// <param name="Name">"sparsify", "grid 5", "symbolic", ….</param>
/// <param name="Grid">Grid size during the stage.</param>
/// <param name="Parameters">Trainable scalars of the network (masked edges included, as pykan counts).</param>
/// <param name="TrainRmse">RMSE on the training set after the stage.</param>
/// <param name="TestRmse">RMSE on the test set after the stage.</param>
/// <param name="Seconds">Wall time of the stage.</param>
public sealed record KanFitStage(string Name, int Grid, long Parameters, double TrainRmse, double TestRmse, double Seconds);

/// <summary>Everything <see cref="KanFitPipeline.Run"/> produced.</summary>
/// <param name="Network">The final network (symbolic edges fixed when requested).</param>
/// <param name="Stages">Stages in order.</param>
/// <param name="Pruned">The pruning outcome, or null.</param>
/// <param name="EdgeFits">The symbolic fits, or empty.</param>
/// <param name="Formulas">One simplified expression per output when symbolic, else empty.</param>
/// <param name="SymbolicWarning">Why the formulas are not a recovered closed form (test RMSE far above the spline
/// network's), or null when they fit as well as the network they replaced (or no symbolic stage ran).</param>
public sealed record KanFitResult(KanNetwork Network, IReadOnlyList<KanFitStage> Stages, KanPruneResult? Pruned,
    IReadOnlyList<KanEdgeFit> EdgeFits, IReadOnlyList<Expr> Formulas, string? SymbolicWarning = null)
{
    /// <summary>True when a symbolic stage ran and its formula fits the test data about as well as the spline network.</summary>
    public bool Recovered => Formulas.Count > 0 && SymbolicWarning is null;
}

/// <summary>
/// The KAN paper's regression workflow on a full-batch data set: optional sparsity training and pruning, training on
/// each grid of the schedule with grid extension between them (<see cref="KanNetwork.Refine"/>), optional
/// auto-symbolic replacement (with a joint refinement of the symbolic constants, one-output networks) and the
/// closed-form formula. Reports train/test RMSE after every stage.
/// </summary>
public static class KanFitPipeline
{
    /// <summary>Runs the workflow; <paramref name="log"/> receives one line per stage.</summary>
    public static KanFitResult Run(KanFitOptions o, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest, Action<string>? log = null,
        IReadOnlyList<string>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.GridSchedule is null || o.GridSchedule.Length == 0 || o.GridSchedule.Any(g => g < 1))
            throw new ArgumentException($"GridSchedule must list grid sizes ≥ 1; got [{string.Join(",", o.GridSchedule ?? [])}].", nameof(o));
        var stages = new List<KanFitStage>();
        var rng = new Rng(o.Seed);
        var layerOptions = o.Layer ?? KanOptions.Pykan;
        bool splines = layerOptions.Bases.Any(b => ReferenceEquals(b.Basis, BSplineBasis.Descriptor));
        if (splines) layerOptions = layerOptions with { GridSize = o.GridSchedule[0] };
        var net = new KanNetwork(o.Widths, layerOptions, rng);
        var opts = new FullBatchOptions(Steps: o.Steps, Optimizer: o.Optimizer);
        bool gridUpdates = o.GridUpdates && splines;
        KanPruneResult? pruned = null;

        void Report(string name, int grid, Stopwatch sw)
        {
            var s = new KanFitStage(name, grid, net.ParameterCount, FullBatch.Rmse(net, xTrain, yTrain), FullBatch.Rmse(net, xTest, yTest), sw.Elapsed.TotalSeconds);
            stages.Add(s);
            log?.Invoke($"{s.Name,-10} grid {s.Grid,3}  params {s.Parameters,6}  train RMSE {s.TrainRmse:0.000e+00}  test RMSE {s.TestRmse:0.000e+00}  ({s.Seconds:F1} s)");
        }

        void Train(KanRegularizationOptions? reg, bool updateGrid, int warmup = 0)
        {
            var layers = net.Layers;
            Func<(Tensor, Tensor?)> forward = reg is { Lambda: > 0 }
                ? () => { var (y, ins) = KanStack.Forward(layers, xTrain); return (y, KanRegularization.Penalty(layers, ins, reg)); }
                : () => (net.Call(xTrain), null);
            void Run(FullBatchOptions options, bool grid)
            {
                // pykan: grid_update_num = 10 updates spread over the first stop_grid_update_step = 50 steps.
                int every = Math.Max(1, Math.Min(options.Steps, 50) / 10);
                if (grid) net.UpdateGrid(xTrain); // pykan updates before the first step too
                FullBatch.Train(net.Parameters(), forward, yTrain, options, (s, _) =>
                {
                    if (grid && s + 1 < Math.Min(options.Steps, 50) && (s + 1) % every == 0) net.UpdateGrid(xTrain);
                });
            }
            if (warmup > 0) Run(new FullBatchOptions(Steps: warmup, Optimizer: FullBatchOptimizer.Adam), updateGrid);
            Run(opts, updateGrid && warmup == 0);
        }

        bool first = true;
        if (o.Regularization is { Lambda: > 0 } reg0)
        {
            var sw = Stopwatch.StartNew();
            Train(reg0, gridUpdates, o.WarmupSteps);
            first = false;
            Report("sparsify", o.GridSchedule[0], sw);
        }
        for (int g = 0; g < o.GridSchedule.Length; g++)
        {
            var sw = Stopwatch.StartNew();
            if (o.Prune && pruned is null && !first) pruned = Prune(net, o, xTrain, yTrain, log);
            int grid = o.GridSchedule[g];
            if (g > 0) net = net.Refine(grid, xTrain);     // stage 0 was built at GridSchedule[0] (B-spline layers) or has no grid
            Train(null, first && gridUpdates, first ? o.WarmupSteps : 0);
            Report($"grid {grid}", grid, sw);
            if (o.Prune && pruned is null)
            {
                // Pruning without a sparsity stage: prune after the first grid and retrain that grid once.
                pruned = Prune(net, o, xTrain, yTrain, log);
                Train(null, false);
                Report($"grid {grid}", grid, sw);
            }
            first = false;
        }
        var result = new KanFitResult(net, stages, pruned, [], []);
        return o.Symbolic ? Symbolize(result, o, xTrain, yTrain, xTest, yTest, log, variables) : result;
    }

    /// <summary>
    /// The symbolic stage on a trained result: every edge replaced by its chosen library fit, the constants refined
    /// jointly (one-output networks), the formula built, and a warning set when the symbolic network's test RMSE
    /// is far above the spline network's (then the formula is an approximation, not a recovered law).
    /// </summary>
    public static KanFitResult Symbolize(KanFitResult trained, KanFitOptions o, Tensor xTrain, Tensor yTrain, Tensor xTest, Tensor yTest,
        Action<string>? log = null, IReadOnlyList<string>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(o);
        var net = trained.Network;
        var stages = trained.Stages.ToList();
        double splineTest = FullBatch.Rmse(net, xTest, yTest);
        var sw = Stopwatch.StartNew();
        // Two attempts on the same trained network, the one with the lower training RMSE kept (the test split chooses
        // nothing): (1) every edge fixed at once with the default choice; (2) layer by layer with a preference for simple
        // functions, the later spline layers retrained after each — pykan's fix_symbolic
        // then fit, which turns the near-linear first layer of a KAN's x·y into exact lines and its second into squares.
        var before = KanSnapshot.Take(net);
        var fits = KanAutoSymbolic.Run(net.Layers, xTrain, library: o.Library, choice: o.Choice);
        if (net.Widths[^1] == 1) KanSymbolicRefine.Refine(net.Layers, xTrain, yTrain);
        if (net.Layers.Count > 1)
        {
            double allAtOnce = FullBatch.Rmse(net, xTrain, yTrain);
            var first = KanSnapshot.Take(net);
            before.Restore(net);
            var layerwise = Layerwise(net, o, xTrain, yTrain);
            double layered = FullBatch.Rmse(net, xTrain, yTrain);
            bool keepLayered = layered < allAtOnce || !double.IsFinite(allAtOnce);
            log?.Invoke($"symbolic attempts: all layers at once train RMSE {allAtOnce:0.000e+00}; layer by layer with retraining {layered:0.000e+00}; kept {(keepLayered ? "layer by layer" : "all at once")}");
            if (keepLayered) fits = layerwise;
            else first.Restore(net);
        }
        var formulas = KanFormula.Build(net.Layers, variables);
        var s = new KanFitStage("symbolic", o.GridSchedule[^1], net.ParameterCount, FullBatch.Rmse(net, xTrain, yTrain), FullBatch.Rmse(net, xTest, yTest), sw.Elapsed.TotalSeconds);
        stages.Add(s);
        log?.Invoke($"{s.Name,-10} grid {s.Grid,3}  params {s.Parameters,6}  train RMSE {s.TrainRmse:0.000e+00}  test RMSE {s.TestRmse:0.000e+00}  ({s.Seconds:F1} s)");
        // A formula is "recovered" only if it predicts about as well as the network it replaced; an absolute floor
        // keeps a spline network that is itself near machine precision from failing a formula that is exact in double.
        double allowed = Math.Max(o.SymbolicTolerance * splineTest, 1e-3 * KanNodeReduction.Std(yTest));
        // The printed formula is what a user copies: it is evaluated itself, rounding and simplification included, and if
        // four significant digits lose the fit, eight are printed; a formula that still misses is not called recovered.
        double formulaTest = KanFormula.Rmse(formulas, xTest, yTest);
        if (!(formulaTest <= allowed))
        {
            var precise = KanFormula.Build(net.Layers, variables, digits: 8, zeroBelow: 1e-10);
            double preciseTest = KanFormula.Rmse(precise, xTest, yTest);
            if (preciseTest < formulaTest || double.IsNaN(formulaTest)) (formulas, formulaTest) = (precise, preciseTest);
        }
        log?.Invoke($"formula    test RMSE {formulaTest:0.000e+00} (the printed formula, evaluated in double)");
        string? warning = !(s.TestRmse <= allowed)
            ? $"the symbolic network's test RMSE {s.TestRmse:0.000e+00} is {s.TestRmse / Math.Max(splineTest, 1e-300):0.#}× the spline network's {splineTest:0.000e+00}: the formula is NOT a recovered closed form, only an approximation"
            : !(formulaTest <= allowed)
            ? $"the printed formula's test RMSE {formulaTest:0.000e+00} is far above the symbolic network's {s.TestRmse:0.000e+00} (allowed {allowed:0.000e+00}): the formula is NOT a recovered closed form, only an approximation"
            : null;
        return trained with { Stages = stages, EdgeFits = fits, Formulas = formulas, SymbolicWarning = warning };
    }

    // Layer by layer: fix layer l preferring simple candidates, retrain the spline layers after it, go on.
    private static IReadOnlyList<KanEdgeFit> Layerwise(KanNetwork net, KanFitOptions o, Tensor xTrain, Tensor yTrain)
    {
        var fits = new List<KanEdgeFit>();
        var layers = net.Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            bool last = l == layers.Count - 1;
            // The last layer too: no layer is left to retrain, but the joint refinement below moves every constant, and
            // the attempt is kept only if it ends with the lower training RMSE.
            fits.AddRange(KanAutoSymbolic.RunLayer(layers, l, xTrain, library: o.Library, choice: SymbolicChoiceOptions.PreferSimple));
            if (!last)
                FullBatch.Train(net.Parameters(), () => (net.Call(xTrain), null), yTrain, new FullBatchOptions(Steps: o.Steps, Optimizer: o.Optimizer));
        }
        if (net.Widths[^1] == 1) KanSymbolicRefine.Refine(layers, xTrain, yTrain);
        return fits;
    }

    private static KanPruneResult Prune(KanNetwork net, KanFitOptions o, Tensor x, Tensor y, Action<string>? log)
    {
        var pruned = KanPruning.Prune(net.Layers, x, o.PruneThreshold);
        log?.Invoke($"pruned to {pruned.Shape}: {pruned.PrunedNodes.Count} node(s), {pruned.PrunedEdges.Count} edge(s) removed");
        var reduced = KanNodeReduction.Run(net, x, y, new FullBatchOptions(Steps: o.Steps, Optimizer: o.Optimizer), pruned, log);
        return reduced;
    }
}
