using Nonlinear.Optim;
using System.Diagnostics;
using System.Globalization;
using Nonlinear.Data;
using Nonlinear.Kan.Interpret;
using Nonlinear.Kan.Symbolic;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;
using Nonlinear.Training;

// KAN paper reproductions (Liu et al. 2024): the toy problem with MLP baselines, and test RMSE against parameter
// count for KANs (grid extension) and MLPs on synthetic functions. Prints Markdown tables.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Parallelism.MaxThreads = 2;
string mode = args.Length > 0 ? args[0] : "toy";
int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
if (mode == "toy") Toy(steps);
else if (mode == "scaling") Scaling(steps);
else if (mode == "skan") Skan(steps);
else { Console.Error.WriteLine("usage: kan-repro toy|scaling|skan [steps per stage]"); return 2; }
return 0;

static (Tensor, Tensor, Tensor, Tensor) Data(string formula, int n, ulong seed)
{
    var f = ExprParser.Parse(formula);
    var rng = new Rng(seed);
    var tr = FormulaData.Sample(f, n, rng);
    var te = FormulaData.Sample(f, n, rng);
    return (Tensor.FromArray(tr.Features, n, tr.FeatureCount), Tensor.FromArray(tr.Targets!, n, 1),
            Tensor.FromArray(te.Features, n, te.FeatureCount), Tensor.FromArray(te.Targets!, n, 1));
}

// MLP [d, h, h, 1] with SiLU, Adam (lr 1e-2) then LBFGS, full batch, as the peer script's baseline.
static (long Params, double Train, double Test, double Seconds) Mlp(int d, int h, Tensor xtr, Tensor ytr, Tensor xte, Tensor yte, int adam, int lbfgs, ulong seed)
{
    var rng = new Rng(seed);
    var model = new Sequential(new Linear(d, h, rng), new ActivationLayer("silu"),
        new Linear(h, h, rng), new ActivationLayer("silu"), new Linear(h, 1, rng));
    var sw = Stopwatch.StartNew();
    FullBatch.Train(model, xtr, ytr, new FullBatchOptions(Steps: adam, Optimizer: FullBatchOptimizer.Adam));
    FullBatch.Train(model, xtr, ytr, new FullBatchOptions(Steps: lbfgs));
    return (model.ParameterCount, FullBatch.Rmse(model, xtr, ytr), FullBatch.Rmse(model, xte, yte), sw.Elapsed.TotalSeconds);
}

// Hidden width h of [d, h, h, 1] whose parameter count is closest to target.
static int WidthFor(int d, long target)
{
    int best = 1;
    for (int h = 1; h < 2000; h++)
        if (Math.Abs(Count(d, h) - target) < Math.Abs(Count(d, best) - target)) best = h;
    return best;
    static long Count(int d, int h) => (long)d * h + h + (long)h * h + h + h + 1;
}

static void Toy(int steps)
{
    const string formula = "exp(sin(pi*x)+y^2)";
    var (xtr, ytr, xte, yte) = Data(formula, 1000, 0);
    Console.WriteLine($"## Toy problem f(x,y) = {formula}, [2,5,1] B-spline KAN (k=3), 1000/1000 points on [-1,1]², {steps} LBFGS steps per grid\n");
    Console.WriteLine("| stage | grid | params | train RMSE | test RMSE | seconds |\n|---|---|---|---|---|---|");
    var r = KanFitPipeline.Run(new KanFitOptions([2, 5, 1], [3, 5, 10, 20], steps), xtr, ytr, xte, yte);
    foreach (var s in r.Stages) Console.WriteLine($"| {s.Name} | {s.Grid} | {s.Parameters} | {s.TrainRmse:0.00e+00} | {s.TestRmse:0.00e+00} | {s.Seconds:F1} |");
    long kanParams = r.Stages[^1].Parameters;
    Console.WriteLine("\n| MLP [2,h,h,1] SiLU | params | train RMSE | test RMSE | seconds |\n|---|---|---|---|---|");
    foreach (long target in new[] { kanParams, 10 * kanParams })
    {
        int h = WidthFor(2, target);
        var m = Mlp(2, h, xtr, ytr, xte, yte, 2000, 100, 0);
        Console.WriteLine($"| h = {h} (≈{(target == kanParams ? "1" : "10")}× KAN) | {m.Params} | {m.Train:0.00e+00} | {m.Test:0.00e+00} | {m.Seconds:F1} |");
    }
    Console.WriteLine("\n### Symbolic recovery: λ = 0.01 sparsity stage, pruning, grids 3→5→10→20, auto-symbolic, joint refinement\n");
    var lib = new[] { "x", "x^2", "x^3", "exp", "sin", "tanh", "log", "sqrt", "abs", "gaussian" }.Select(SymbolicLibrary.Get).ToArray();
    var sym = KanFitPipeline.Run(new KanFitOptions([2, 5, 1], [3, 5, 10, 20], steps, Regularization: new KanRegularizationOptions(0.01), Prune: true,
        Symbolic: true, Library: lib), xtr, ytr, xte, yte, s => Console.WriteLine("    " + s));
    foreach (var fit in sym.EdgeFits) Console.WriteLine($"    edge L{fit.Layer} {fit.Input}→{fit.Output}: {fit.Fit}");
    Console.WriteLine($"\nrecovered: `{sym.Formulas[0]}`  (pruned shape {sym.Pruned?.Shape}; test RMSE of the formula {sym.Stages[^1].TestRmse:0.00e+00})");
}

static void Scaling(int steps)
{
    var functions = new (string Formula, int[] Widths)[]
    {
        // [2,5,1] as in the toy problem: the minimal [2,1,1] often stalls at RMSE ≈ 0.5 (seed-dependent; the grid update
        // before the first step fits the output layer's grid to the narrow initial hidden range).
        ("exp(sin(pi*x)+y^2)", [2, 5, 1]),
        ("x*y", [2, 2, 1]),
        ("sin(pi*x)*sin(pi*y)", [2, 2, 1]),
        ("exp(0.5*(sin(pi*(x1^2+x2^2))+sin(pi*(x3^2+x4^2))))", [4, 4, 2, 1]),
    };
    int[] grids = [3, 5, 10, 20, 50];
    Console.WriteLine($"## KAN vs MLP: test RMSE against parameter count (1000/1000 points on [-1,1]^d, {steps} LBFGS steps per KAN grid; MLP [d,h,h,1] SiLU, Adam 2000 + LBFGS 100)\n");
    foreach (var (formula, widths) in functions)
    {
        var (xtr, ytr, xte, yte) = Data(formula, 1000, 1);
        Console.WriteLine($"### f = {formula}, KAN {string.Join(",", widths)}\n\n| model | params | test RMSE |\n|---|---|---|");
        // Minimal-width KANs such as [2,1,1] can stall in a poor start (seed-dependent, as in pykan): pick the seed with
        // the lowest training RMSE after 10 steps on the coarsest grid out of three, then run the whole schedule with it.
        ulong seed = Enumerable.Range(0, 3).Select(s => (ulong)s).MinBy(s =>
            KanFitPipeline.Run(new KanFitOptions(widths, [grids[0]], 10, Seed: s), xtr, ytr, xte, yte).Stages[0].TrainRmse);
        var r = KanFitPipeline.Run(new KanFitOptions(widths, grids, steps, Seed: seed), xtr, ytr, xte, yte);
        Console.WriteLine($"| (KAN seed {seed} of 0–2) | | |");
        var kanPoints = r.Stages.Select(s => (s.Parameters, s.TestRmse)).ToList();
        foreach (var s in r.Stages) Console.WriteLine($"| KAN G={s.Grid} | {s.Parameters} | {s.TestRmse:0.00e+00} |");
        var mlpPoints = new List<(long, double)>();
        foreach (int h in new[] { 4, 8, 16, 32 })
        {
            var m = Mlp(widths[0], h, xtr, ytr, xte, yte, 2000, 100, 1);
            mlpPoints.Add((m.Params, m.Test));
            Console.WriteLine($"| MLP h={h} | {m.Params} | {m.Test:0.00e+00} |");
        }
        Console.WriteLine($"\nfitted slope of log RMSE vs log params, up to each model's lowest test RMSE (beyond it the 1000 training points are overfitted): KAN {Slope(UpToBest(kanPoints)):F2}, MLP {Slope(UpToBest(mlpPoints)):F2}\n");
    }
}

// S-KAN against single-basis KANs and an MLP at (nearly) equal parameter counts: [d, h, 1] with h chosen per kind.
static void Skan(int steps)
{
    var kinds = new (string Name, Nonlinear.Kan.KanOptions Options)[]
    {
        ("B-spline (pykan)", Nonlinear.Kan.KanOptions.Pykan),
        // FastKAN's LayerNorm over two inputs maps every row to (±1, ∓1) and destroys the data: the basis alone here.
        ("RBF (FastKAN basis, no LayerNorm)", Nonlinear.Kan.KanOptions.FastKan with { LayerNorm = false }),
        ("Chebyshev (ChebyKAN)", Nonlinear.Kan.KanOptions.ChebyKan),
        ("Fourier", Nonlinear.Kan.KanOptions.FourierKan),
        ("S-KAN (all four spaces)", Nonlinear.Kan.KanOptions.Selectable),
    };
    const long target = 300;
    Console.WriteLine($"## S-KAN vs single-basis KANs vs MLP, ≈{target} parameters, [d,h,1], {steps} LBFGS steps, 1000/1000 points, median test RMSE of seeds 0–2\n");
    foreach (string formula in new[] { "exp(sin(pi*x)+y^2)", "sin(pi*x)*sin(pi*y)", "x*y" })
    {
        var (xtr, ytr, xte, yte) = Data(formula, 1000, 2);
        Console.WriteLine($"### f = {formula}\n\n| model | h | params | test RMSE (median) | per seed |\n|---|---|---|---|---|");
        foreach (var (name, options) in kinds)
        {
            int h = Enumerable.Range(1, 64).MinBy(w => Math.Abs(new Nonlinear.Kan.KanNetwork([2, w, 1], options, new Rng(0)).ParameterCount - target));
            var runs = Enumerable.Range(0, 3).Select(s => KanFitPipeline.Run(new KanFitOptions([2, h, 1], [options.GridSize], steps, Seed: (ulong)s, Layer: options),
                xtr, ytr, xte, yte).Stages[^1]).ToList();
            var sorted = runs.Select(r => r.TestRmse).Order().ToList();
            Console.WriteLine($"| {name} | {h} | {runs[0].Parameters} | {sorted[1]:0.00e+00} | {string.Join(", ", runs.Select(r => r.TestRmse.ToString("0.0e+00")))} |");
        }
        int hm = WidthFor(2, target);
        var mlps = Enumerable.Range(0, 3).Select(s => Mlp(2, hm, xtr, ytr, xte, yte, 2000, steps, (ulong)s)).ToList();
        var ms = mlps.Select(m => m.Test).Order().ToList();
        Console.WriteLine($"| MLP [2,{hm},{hm},1] SiLU (Adam 2000 + LBFGS {steps}) | {hm} | {mlps[0].Params} | {ms[1]:0.00e+00} | {string.Join(", ", mlps.Select(m => m.Test.ToString("0.0e+00")))} |\n");
    }
}

// The points up to and including the one with the lowest RMSE (at least two).
static List<(long P, double R)> UpToBest(List<(long P, double R)> pts)
{
    int best = pts.IndexOf(pts.MinBy(p => p.R));
    return pts.Take(Math.Max(best + 1, 2)).ToList();
}

// Least-squares slope of log(rmse) against log(params).
static double Slope(List<(long P, double R)> pts)
{
    var xs = pts.Select(p => Math.Log(p.P)).ToArray();
    var ys = pts.Select(p => Math.Log(p.R)).ToArray();
    double mx = xs.Average(), my = ys.Average();
    return xs.Zip(ys).Sum(t => (t.First - mx) * (t.Second - my)) / xs.Sum(v => (v - mx) * (v - mx));
}
