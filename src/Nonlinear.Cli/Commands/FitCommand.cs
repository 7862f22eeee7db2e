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

    /// <summary>The KAN pipeline settings a `fit` command line binds to, for <paramref name="inputs"/> input columns (no data is drawn).</summary>
    internal static KanFitOptions ParseKanOptions(int inputs, params string[] args)
    {
        var flags = new FitFlags();
        var cmd = new Command("fit");
        foreach (var o in flags.All) cmd.Options.Add(o);
        var pr = cmd.Parse(args);
        if (pr.Errors.Count > 0) throw new InvalidInputException(string.Join("; ", pr.Errors.Select(e => e.Message)));
        return flags.BindKan(pr, inputs);
    }

    public static Command Create()
    {
        var f = new FitFlags();
        var cmd = new Command("fit", "Fit a KAN (or an MLP, for comparison) to a formula or a CSV column (pykan's fit → prune → refine → symbolic).");
        foreach (var o in f.All) cmd.Options.Add(o);
        var pde = FitPdeCommand.AddTo(cmd);   // --pde: physics-informed fitting (FitPdeCommand.cs)
        var image = FitImageCommand.AddTo(cmd);   // --image: implicit neural representations (FitImageCommand.cs)
        cmd.SetAction(pr =>
        {
            int t = pr.GetValue(f.Threads);
            if (t < 1 || t > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {t}.");
            Parallelism.MaxThreads = t;
            int sd = pr.GetValue(f.Seed);
            if (sd < 0) throw new InvalidInputException($"--seed must be ≥ 0; got {sd}.");
            // The formula/CSV pipeline's options mean nothing to --image and --pde: refuse them rather than ignore them.
            if (image.Selected(pr)) RefuseOutsidePipeline(pr, "--image", [.. f.PipelineOnly, f.Optimizer, f.Plot]);
            else if (pde.Selected(pr)) RefuseOutsidePipeline(pr, "--pde", f.PipelineOnly);
            bool hasData = pr.GetValue(f.Formula) is not null || pr.GetValue(f.Csv) is not null;
            if (image.Selected(pr))
                return image.Run(pr, pr.GetResult(f.Model) is { Implicit: false } ? pr.GetValue(f.Model) : null, pr.GetResult(f.Steps) is { Implicit: false } ? pr.GetValue(f.Steps) : null, sd,
                    hasData || pde.Selected(pr));
            if (pde.Selected(pr))
                return pde.Run(pr, pr.GetValue(f.Model)!, pr.GetValue(f.Steps), pr.GetValue(f.Optimizer)!, sd, pr.GetValue(f.Plot), hasData);
            int nr = pr.GetValue(f.Restarts);
            if (nr < 1 || nr > 1024) throw new InvalidInputException($"--restarts must be in [1, 1024]; got {nr}.");
            // The plot's format and place are checked before training, not after minutes of it.
            if (pr.GetValue(f.Plot) is string plotPath) CliPaths.RequireOutputFile("--plot", plotPath, ".png");
            var spec = f.Spec(pr);
            FitLibrary.Parse(pr.GetValue(f.Lib));   // a wrong --lib is refused before the data is drawn
            var d = FitData.Load(pr.GetValue(f.Formula), pr.GetValue(f.Csv), pr.GetValue(f.Target), pr.GetValue(f.Train), pr.GetValue(f.Test), pr.GetValue(f.Range)!, (ulong)sd, nr > 1 ? 0.2 : 0);
            CommandRun.Current?.Describe(new Dictionary<string, string> { ["data"] = d.Source, ["model"] = spec.ToString(), ["activation"] = spec.Activation?.ToString() ?? "" });
            if (spec.Kind is MlpKind)
            {
                int[] grids = f.Grids(pr);
                int st = f.StepsOf(pr);
                var opt = f.OptimizerOf(pr);
                if (pr.GetValue(f.Symbolic) || pr.GetValue(f.Prune) || f.LambdaOf(pr) > 0 || pr.GetValue(f.Plot) is not null)
                    throw new InvalidInputException($"--model '{spec}': --symbolic, --prune, --lambda and --plot need a KAN; an mlp: model is fitted for comparison only.", "model");
                return FitMlp.Run(spec, d, grids.Length * st, opt, (ulong)sd, nr);
            }
            var options = f.BindKan(pr, d.Names.Count);
            int wu = options.WarmupSteps;
            Console.WriteLine($"fit {d.Source}: KAN [{string.Join(", ", options.Widths)}], bases [{string.Join(", ", options.Layer!.Bases)}], grids [{string.Join(", ", options.GridSchedule)}], {(wu > 0 ? wu + " Adam warm-up steps, " : "")}{options.Steps} {options.Optimizer} steps per stage, {d.XTrain.Size(0)} train / {(d.XVal is null ? "" : d.XVal.Size(0) + " validation / ")}{d.XTest.Size(0)} test");
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
                int flagged = result.EdgeFits.Count(e => e.Warning is not null);
                if (flagged > 0) Console.WriteLine($"WARNING: {flagged} edge(s) flagged above; their terms are not trustworthy.");
                if (result.SymbolicWarning is string w) Console.WriteLine($"WARNING: {w}.");
                string label = result.Recovered ? "formula: " : "approximate formula: ";
                foreach (var formula in result.Formulas)
                {
                    Console.WriteLine($"{label}{formula}");
                    Console.WriteLine($"latex:   {ExprFormat.Latex(formula)}");
                }
            }
            if (pr.GetValue(f.Plot) is string path)
            {
                KanEdgePlot.Write(path, KanEdgeCurves.Sample(result.Network.Layers, d.XTrain));
                Console.WriteLine($"edge plot written to {path}");
            }
            return 0;
        });
        return CommandRun.Record(cmd, "fit", RecordedFit.OutputNextTo);
    }
}
