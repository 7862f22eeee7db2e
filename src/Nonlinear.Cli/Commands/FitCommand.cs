using Nonlinear.Optim;
using System.CommandLine;
using System.Globalization;
using Nonlinear.Cli.Plotting;
using Nonlinear.Cli.Runs;
using Nonlinear.Data;
using Nonlinear.Kan;
using Nonlinear.Kan.Interpret;
using Nonlinear.Kernels;
using Nonlinear.Models;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear fit`: the KAN paper's regression workflow on a formula or a CSV column — optional sparsity training and
/// pruning, grid extension over a schedule, auto-symbolic formula, edge plot. Prints train/test RMSE per stage.
/// </summary>
internal static class FitCommand
{
    private static void RefuseOutsidePipeline(ParseResult pr, string mode, Option[] options)
    {
        foreach (var o in options)
            if (pr.GetResult(o) is { Implicit: false })
                throw new InvalidInputException($"{o.Name} applies to --formula/--csv fits, not to {mode}; got {o.Name} together with {mode}." +
                    (o.Name == "--activation" ? " With --pde, give the activation in the model: --model mlp:64,64(sine)." : ""));
    }

    public static Command Create()
    {
        var formula = new Option<string?>("--formula") { Description = "Target function of x, y, z (or x1, x2, …), e.g. \"exp(sin(pi*x)+y^2)\"." };
        var csv = new Option<string?>("--csv") { Description = "CSV file with a header row; all other numeric columns are inputs (named x, y, z or x1…xn in the formula, in column order)." };
        var target = new Option<string?>("--target") { Description = "Target column of --csv." };
        var model = new Option<string>("--model") { Description = "A KAN kind with hidden widths, as in train: kan:5 fits [inputs, 5, 1]; also kan-rbf:, kan-fourier:, kan-chebyshev:, skan:.", DefaultValueFactory = _ => "kan:5" };
        var grid = new Option<int>("--grid") { Description = "B-spline grid size (ignored with --grid-schedule).", DefaultValueFactory = _ => 5 };
        var schedule = new Option<string?>("--grid-schedule") { Description = "Grid extension schedule, e.g. 3,5,10,20." };
        var steps = new Option<int>("--steps") { Description = "Training steps per stage (LBFGS steps of 20 iterations, or Adam updates).", DefaultValueFactory = _ => 50 };
        var optimizer = new Option<string>("--optimizer") { Description = "lbfgs or adam.", DefaultValueFactory = _ => "lbfgs" };
        var lambda = new Option<double>("--lambda") { Description = "Sparsity penalty λ of a first training stage (pykan's lamb; 0 = none)." };
        var prune = new Option<bool>("--prune") { Description = "Prune nodes with attribution ≤ 1e-2 after the first stage." };
        var symbolic = new Option<bool>("--symbolic") { Description = "Replace every edge by its best symbolic fit and print the formula." };
        var seed = new Option<int>("--seed") { Description = "Seed for data and initialisation.", DefaultValueFactory = _ => 0 };
        var train = new Option<int>("--train") { Description = "Training points drawn from --formula.", DefaultValueFactory = _ => 1000 };
        var test = new Option<int>("--test") { Description = "Test points drawn from --formula (for --csv: 20 % of the rows).", DefaultValueFactory = _ => 1000 };
        var range = new Option<string>("--range") { Description = "Box for --formula inputs, lo,hi.", DefaultValueFactory = _ => "-1,1" };
        var plot = new Option<string?>("--plot") { Description = "Write a PNG grid of every edge function." };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels (with --restarts: runs in parallel).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var restarts = new Option<int>("--restarts") { Description = "Train this many seeds (base seed·N + k) in parallel and keep the one with the lowest RMSE on a validation split (20 % of the training rows); the test split is never used to choose.", DefaultValueFactory = _ => 1 };
        var lib = new Option<string?>("--lib") { Description = "Symbolic library, e.g. x,x^2,sin,exp (default: all; the constant 0 is always available for negligible edges)." };
        var warmup = new Option<int>("--warmup") { Description = "Full-batch Adam updates (lr 1e-2) before the first stage's optimizer; the first stage's grid updates happen during them (0: none)." };
        var activation = new Option<string?>("--activation") { Description = "Activation of an mlp: model (default tanh: smooth targets)." };
        var cmd = new Command("fit", "Fit a KAN (or an MLP, for comparison) to a formula or a CSV column (pykan's fit → prune → refine → symbolic).")
        { formula, csv, target, model, grid, schedule, steps, optimizer, lambda, prune, symbolic, seed, train, test, range, plot, threads, restarts, lib, activation, warmup };
        var pde = FitPdeCommand.AddTo(cmd);   // --pde: physics-informed fitting (FitPdeCommand.cs)
        var image = FitImageCommand.AddTo(cmd);   // --image: implicit neural representations (FitImageCommand.cs)
        cmd.SetAction(pr =>
        {
            int t = pr.GetValue(threads);
            if (t < 1 || t > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {t}.");
            Parallelism.MaxThreads = t;
            int sd = pr.GetValue(seed);
            if (sd < 0) throw new InvalidInputException($"--seed must be ≥ 0; got {sd}.");
            // The formula/CSV pipeline's options mean nothing to --image and --pde: refuse them rather than ignore them.
            Option[] pipelineOnly = [target, grid, schedule, lambda, prune, symbolic, train, test, range, restarts, lib, activation, warmup];
            if (image.Selected(pr)) RefuseOutsidePipeline(pr, "--image", [.. pipelineOnly, optimizer, plot]);
            else if (pde.Selected(pr)) RefuseOutsidePipeline(pr, "--pde", pipelineOnly);
            if (image.Selected(pr))
                return image.Run(pr, pr.GetResult(model) is { Implicit: false } ? pr.GetValue(model) : null, pr.GetResult(steps) is { Implicit: false } ? pr.GetValue(steps) : null, sd,
                    pr.GetValue(formula) is not null || pr.GetValue(csv) is not null || pde.Selected(pr));
            if (pde.Selected(pr))
                return pde.Run(pr, pr.GetValue(model)!, pr.GetValue(steps), pr.GetValue(optimizer)!, sd, pr.GetValue(plot), pr.GetValue(formula) is not null || pr.GetValue(csv) is not null);
            int nr = pr.GetValue(restarts);
            if (nr < 1 || nr > 1024) throw new InvalidInputException($"--restarts must be in [1, 1024]; got {nr}.");
            // The plot's format and place are checked before training, not after minutes of it.
            if (pr.GetValue(plot) is string plotPath) CliPaths.RequireOutputFile("--plot", plotPath, ".png");
            string modelText = pr.GetValue(model)!;
            string? act = pr.GetValue(activation) ?? (ModelSpec.Parse(modelText).Kind is MlpKind ? "tanh" : null);
            var spec = ModelSpec.Parse(modelText, act);
            var library = FitLibrary.Parse(pr.GetValue(lib));
            var d = FitData.Load(pr.GetValue(formula), pr.GetValue(csv), pr.GetValue(target), pr.GetValue(train), pr.GetValue(test), pr.GetValue(range)!, (ulong)sd, nr > 1 ? 0.2 : 0);
            CommandRun.Current?.Describe(new Dictionary<string, string> { ["data"] = d.Source, ["model"] = spec.ToString(), ["activation"] = spec.Activation?.ToString() ?? "" });
            int[] grids = pr.GetValue(schedule) is string s ? ParseInts(s, "--grid-schedule") : [pr.GetValue(grid)];
            if (grids.Any(g => g < 1 || g > 1000)) throw new InvalidInputException($"grid sizes must be in [1, 1000]; got [{string.Join(",", grids)}].");
            int st = pr.GetValue(steps);
            if (st < 0 || st > 100000) throw new InvalidInputException($"--steps must be in [0, 100000]; got {st}.");
            var opt = pr.GetValue(optimizer)!.ToLowerInvariant() switch
            {
                "lbfgs" => FullBatchOptimizer.Lbfgs,
                "adam" => FullBatchOptimizer.Adam,
                var other => throw new InvalidInputException($"--optimizer must be lbfgs or adam; got '{other}'."),
            };
            int wu = pr.GetValue(warmup);
            if (wu < 0 || wu > 100000) throw new InvalidInputException($"--warmup must be in [0, 100000]; got {wu}.");
            double lam = pr.GetValue(lambda);
            if (!(lam >= 0) || !double.IsFinite(lam)) throw new InvalidInputException($"--lambda must be finite and ≥ 0; got {lam}.");
            if (spec.Kind is MlpKind)
            {
                if (pr.GetValue(symbolic) || pr.GetValue(prune) || lam > 0 || pr.GetValue(plot) is not null)
                    throw new InvalidInputException($"--model '{spec}': --symbolic, --prune, --lambda and --plot need a KAN; an mlp: model is fitted for comparison only.", "model");
                return FitMlp.Run(spec, d, grids.Length * st, opt, (ulong)sd, nr);
            }
            var (widths, layerOptions) = Widths(spec, d.Names.Count);
            var options = new KanFitOptions(widths, grids, st, opt, new KanRegularizationOptions(lam), pr.GetValue(prune), Symbolic: pr.GetValue(symbolic),
                Seed: (ulong)sd, Layer: layerOptions, Library: library, WarmupSteps: wu);
            Console.WriteLine($"fit {d.Source}: KAN [{string.Join(", ", widths)}], bases [{string.Join(", ", layerOptions.Bases)}], grids [{string.Join(", ", grids)}], {(wu > 0 ? wu + " Adam warm-up steps, " : "")}{st} {opt} steps per stage, {d.XTrain.Size(0)} train / {(d.XVal is null ? "" : d.XVal.Size(0) + " validation / ")}{d.XTest.Size(0)} test");
            CommandRun.Current?.Begin();
            var result = nr > 1 ? FitKanRestarts.Run(options, nr, d) : KanFitPipeline.Run(options, d.XTrain, d.YTrain, d.XTest, d.YTest, Console.WriteLine, d.Names);
            RecordedFit.Kan(CommandRun.Current, result);
            // Values too large for float32 training overflow to NaN or ∞; a fit that reports those has failed.
            if (result.Stages.FirstOrDefault(st => !double.IsFinite(st.TrainRmse) || !double.IsFinite(st.TestRmse)) is { } bad)
                throw new InvalidInputException($"{d.Source}: the fit failed: stage '{bad.Name}' has train RMSE {bad.TrainRmse.ToString(CultureInfo.InvariantCulture)} and test RMSE " +
                    $"{bad.TestRmse.ToString(CultureInfo.InvariantCulture)} (not finite); rescale the data (float32 training overflows on values this large).");
            Console.WriteLine($"params {result.Network.ParameterCount} (KAN; masked edges included, as pykan counts)");
            if (result.Formulas.Count > 0)
            {
                foreach (var fit in result.EdgeFits) Console.WriteLine($"  {fit}");
                int flagged = result.EdgeFits.Count(f => f.Warning is not null);
                if (flagged > 0) Console.WriteLine($"WARNING: {flagged} edge(s) flagged above; their terms are not trustworthy.");
                if (result.SymbolicWarning is string w) Console.WriteLine($"WARNING: {w}.");
                string label = result.Recovered ? "formula: " : "approximate formula: ";
                foreach (var f in result.Formulas)
                {
                    Console.WriteLine($"{label}{f}");
                    Console.WriteLine($"latex:   {ExprFormat.Latex(f)}");
                }
            }
            if (pr.GetValue(plot) is string path)
            {
                KanEdgePlot.Write(path, KanEdgeCurves.Sample(result.Network.Layers, d.XTrain));
                Console.WriteLine($"edge plot written to {path}");
            }
            return 0;
        });
        return CommandRun.Record(cmd, "fit", RecordedFit.OutputNextTo);
    }

    // Widths are hidden widths, as in train; a spec that lists the full widths would silently get two extra layers, so it is refused with the fix.
    private static (int[] Widths, KanOptions Options) Widths(ModelSpec spec, int inputs)
    {
        if (spec.Kind is not KanKind kan)
            throw new InvalidInputException($"--model '{spec}': fit trains KANs; expected one of {string.Join(", ", ModelKinds.All.OfType<KanKind>().Select(k => k.Name + ":"))} with hidden widths, e.g. kan:5.", "model");
        var ws = spec.Widths;
        if (ws.Count >= 2 && ws[0] == inputs && ws[^1] == 1)
        {
            string hidden = string.Join(",", ws.Skip(1).SkipLast(1));
            throw new InvalidInputException($"--model '{spec}' lists full widths (inputs {inputs} and output 1); widths are hidden widths, write {kan.Name}:{hidden}{(spec.Grid is int g ? "@" + g : "")}.", "model");
        }
        return ([inputs, .. ws, 1], kan.LayerOptions(spec));
    }

    private static int[] ParseInts(string s, string name)
    {
        var parts = s.Split(',');
        if (parts.Length > 32) throw new InvalidInputException($"{name}: at most 32 entries; got {parts.Length}.");
        return parts.Select(p => int.TryParse(p.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
            : throw new InvalidInputException($"{name}: '{p.Trim()}' is not a positive integer (expected e.g. 3,5,10,20).")).ToArray();
    }
}
