using System.CommandLine;
using System.Globalization;
using Nonlinear.Kan;
using Nonlinear.Kan.Interpret;
using Nonlinear.Models;
using Nonlinear.Optim;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// The options of `fit`'s formula/CSV pipeline. The training defaults are read from <see cref="KanFitOptions.Defaults"/>,
/// so a bare `fit --formula …` and the library's <c>new KanFitOptions(widths, grids)</c> train the same way (a test binds
/// a bare command line and compares the record); <see cref="BindKan"/> turns a parsed command line into that record.
/// </summary>
internal sealed class FitFlags
{
    private static readonly KanFitOptions D = KanFitOptions.Defaults;

    public Option<string?> Formula { get; } = new("--formula") { Description = "Target function of x, y, z (or x1, x2, …), e.g. \"exp(sin(pi*x)+y^2)\"." };
    public Option<string?> Csv { get; } = new("--csv") { Description = "CSV file with a header row; all other numeric columns are inputs (named x, y, z or x1…xn in the formula, in column order)." };
    public Option<string?> Target { get; } = new("--target") { Description = "Target column of --csv." };
    public Option<string> Model { get; } = new("--model") { Description = "A KAN kind with hidden widths, as in train: kan:5 fits [inputs, 5, 1]; also kan-rbf:, kan-fourier:, kan-chebyshev:, skan:.", DefaultValueFactory = _ => "kan:" + string.Join(",", D.Widths[1..^1]) };
    public Option<int> Grid { get; } = new("--grid") { Description = "B-spline grid size (ignored with --grid-schedule).", DefaultValueFactory = _ => D.GridSchedule[0] };
    public Option<string?> Schedule { get; } = new("--grid-schedule") { Description = "Grid extension schedule, e.g. 3,5,10,20." };
    public Option<int> Steps { get; } = new("--steps") { Description = "Training steps per stage (LBFGS steps of 20 iterations, or Adam updates).", DefaultValueFactory = _ => D.Steps };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "lbfgs or adam.", DefaultValueFactory = _ => D.Optimizer.ToString().ToLowerInvariant() };
    public Option<double> Lambda { get; } = new("--lambda") { Description = "Sparsity penalty λ of a first training stage (pykan's lamb; 0 = none).", DefaultValueFactory = _ => D.Regularization?.Lambda ?? 0 };
    public Option<bool> Prune { get; } = new("--prune") { Description = "Prune nodes with attribution ≤ 1e-2 after the first stage." };
    public Option<bool> Symbolic { get; } = new("--symbolic") { Description = "Replace every edge by its best symbolic fit and print the formula." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for data and initialisation.", DefaultValueFactory = _ => (int)D.Seed };
    public Option<int> Train { get; } = new("--train") { Description = "Training points drawn from --formula.", DefaultValueFactory = _ => 1000 };
    public Option<int> Test { get; } = new("--test") { Description = "Test points drawn from --formula (for --csv: 20 % of the rows).", DefaultValueFactory = _ => 1000 };
    public Option<string> Range { get; } = new("--range") { Description = "Box for --formula inputs, lo,hi.", DefaultValueFactory = _ => "-1,1" };
    public Option<string?> Plot { get; } = new("--plot") { Description = "Write a PNG grid of every edge function." };
    public Option<int> Threads { get; } = new("--threads") { Description = "Threads for the kernels (with --restarts: runs in parallel).", DefaultValueFactory = _ => Environment.ProcessorCount };
    public Option<int> Restarts { get; } = new("--restarts") { Description = "Train this many seeds (base seed·N + k) in parallel and keep the one with the lowest RMSE on a validation split (20 % of the training rows); the test split is never used to choose.", DefaultValueFactory = _ => 1 };
    public Option<string?> Lib { get; } = new("--lib") { Description = "Symbolic library, e.g. x,x^2,sin,exp (default: all; the constant 0 is always available for negligible edges)." };
    public Option<int> Warmup { get; } = new("--warmup") { Description = $"Full-batch Adam updates (lr 1e-2) before the first stage's optimizer; the first stage's grid updates happen during them (0: none; default {D.WarmupSteps}).", DefaultValueFactory = _ => D.WarmupSteps };
    public Option<string?> Activation { get; } = new("--activation") { Description = "Activation of an mlp: model (default tanh: smooth targets)." };

    /// <summary>Every flag, in help order.</summary>
    public Option[] All => [Formula, Csv, Target, Model, Grid, Schedule, Steps, Optimizer, Lambda, Prune, Symbolic, Seed, Train, Test, Range, Plot, Threads, Restarts, Lib, Activation, Warmup];

    /// <summary>The flags that mean nothing to --image and --pde (refused there rather than ignored).</summary>
    public Option[] PipelineOnly => [Target, Grid, Schedule, Lambda, Prune, Symbolic, Train, Test, Range, Restarts, Lib, Activation, Warmup];

    /// <summary>The model spec --model and --activation ask for (an mlp: model defaults to tanh: smooth targets).</summary>
    public ModelSpec Spec(ParseResult pr)
    {
        string modelText = pr.GetValue(Model)!;
        string? act = pr.GetValue(Activation) ?? (ModelSpec.Parse(modelText).Kind is MlpKind ? "tanh" : null);
        return ModelSpec.Parse(modelText, act);
    }

    /// <summary>The grid schedule (--grid-schedule, else the single --grid), validated.</summary>
    public int[] Grids(ParseResult pr)
    {
        int[] grids = pr.GetValue(Schedule) is string s ? ParseInts(s, "--grid-schedule") : [pr.GetValue(Grid)];
        if (grids.Any(g => g < 1 || g > 1000)) throw new InvalidInputException($"grid sizes must be in [1, 1000]; got [{string.Join(",", grids)}].");
        return grids;
    }

    /// <summary>--steps, validated.</summary>
    public int StepsOf(ParseResult pr)
    {
        int st = pr.GetValue(Steps);
        if (st < 0 || st > 100000) throw new InvalidInputException($"--steps must be in [0, 100000]; got {st}.");
        return st;
    }

    /// <summary>--optimizer, parsed.</summary>
    public FullBatchOptimizer OptimizerOf(ParseResult pr) => pr.GetValue(Optimizer)!.ToLowerInvariant() switch
    {
        "lbfgs" => FullBatchOptimizer.Lbfgs,
        "adam" => FullBatchOptimizer.Adam,
        var other => throw new InvalidInputException($"--optimizer must be lbfgs or adam; got '{other}'."),
    };

    /// <summary>--lambda, validated.</summary>
    public double LambdaOf(ParseResult pr)
    {
        double lam = pr.GetValue(Lambda);
        if (!(lam >= 0) || !double.IsFinite(lam)) throw new InvalidInputException($"--lambda must be finite and ≥ 0; got {lam}.");
        return lam;
    }

    /// <summary>The KAN pipeline's settings for <paramref name="inputs"/> input columns (validated).</summary>
    /// <exception cref="InvalidInputException">A flag's value is out of range, or --model is not a KAN with hidden widths.</exception>
    public KanFitOptions BindKan(ParseResult pr, int inputs)
    {
        int sd = pr.GetValue(Seed);
        if (sd < 0) throw new InvalidInputException($"--seed must be ≥ 0; got {sd}.");
        int wu = pr.GetValue(Warmup);
        if (wu < 0 || wu > 100000) throw new InvalidInputException($"--warmup must be in [0, 100000]; got {wu}.");
        double lam = LambdaOf(pr);
        var (widths, layerOptions) = Widths(Spec(pr), inputs);
        // λ = 0 means no sparsity stage, as the library's null does; keep the record equal to the defaults then.
        return D with
        {
            Widths = widths, GridSchedule = Grids(pr), Steps = StepsOf(pr), Optimizer = OptimizerOf(pr),
            Regularization = lam > 0 ? new KanRegularizationOptions(lam) : D.Regularization, Prune = pr.GetValue(Prune),
            Symbolic = pr.GetValue(Symbolic), Seed = (ulong)sd, Layer = layerOptions, Library = FitLibrary.Parse(pr.GetValue(Lib)), WarmupSteps = wu,
        };
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
