using System.CommandLine;
using System.Globalization;
using Nonlinear.Cli.Plotting;
using Nonlinear.Models;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Nonlinear.Training.Pinn;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear fit --pde NAME`: physics-informed fitting (<see cref="PinnFit"/>) of an MLP or a KAN to poisson2d, heat1d,
/// burgers1d or helmholtz2d. The fit command hands over to <see cref="Run"/> when --pde is given; the options below are
/// the PDE-only ones, the shared ones (--model, --steps, --optimizer, --seed, --plot) stay in FitCommand.
/// </summary>
internal sealed class FitPdeCommand
{
    private readonly Option<string?> _pde = new("--pde") { Description = "Physics-informed fit of a PDE instead of data: poisson2d, heat1d, burgers1d or helmholtz2d. --model mlp:W,…(act) (activation in parentheses, default tanh) or kan:W,… (hidden widths)." };
    private readonly Option<int> _collocation = new("--collocation") { Description = "With --pde: interior collocation points.", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _boundary = new("--boundary-points") { Description = "With --pde: boundary and initial-value points.", DefaultValueFactory = _ => 200 };
    private readonly Option<double> _weight = new("--boundary-weight") { Description = "With --pde: weight of the boundary/initial loss against the residual loss.", DefaultValueFactory = _ => 10 };
    private readonly Option<double?> _lr = new("--pde-lr") { Description = "With --pde: learning rate (LBFGS default 1, Adam default 1e-3)." };

    /// <summary>Adds the PDE options to the fit command.</summary>
    public static FitPdeCommand AddTo(Command fit)
    {
        var c = new FitPdeCommand();
        fit.Options.Add(c._pde);
        fit.Options.Add(c._collocation);
        fit.Options.Add(c._boundary);
        fit.Options.Add(c._lr);
        fit.Options.Add(c._weight);
        return c;
    }

    /// <summary>True when --pde was given.</summary>
    public bool Selected(ParseResult pr) => pr.GetValue(_pde) is not null;

    /// <summary>Parses the PDE options, trains, prints the relative L2 error and writes the PNGs. Returns the exit code.</summary>
    public int Run(ParseResult pr, string model, int steps, string optimizer, int seed, string? plot, bool hasData)
    {
        if (hasData) throw new InvalidInputException("--pde fits a PDE, not data: leave out --formula and --csv.", "pde");
        var problem = PdeProblem.Parse(pr.GetValue(_pde)!);
        int nc = pr.GetValue(_collocation), nbd = pr.GetValue(_boundary);
        if (nc < 1 || nc > 1_000_000) throw new InvalidInputException($"--collocation must be in [1, 1000000]; got {nc}.", "collocation");
        if (nbd < 3 || nbd > 1_000_000) throw new InvalidInputException($"--boundary-points must be in [3, 1000000]; got {nbd}.", "boundary-points");
        if (steps < 0 || steps > 100000) throw new InvalidInputException($"--steps must be in [0, 100000]; got {steps}.", "steps");
        double? lr = pr.GetValue(_lr);
        if (lr is double l && !(l > 0 && double.IsFinite(l))) throw new InvalidInputException($"--pde-lr must be finite and > 0; got {l}.", "pde-lr");
        var opt = optimizer.ToLowerInvariant() switch
        {
            "lbfgs" => FullBatchOptimizer.Lbfgs,
            "adam" => FullBatchOptimizer.Adam,
            var other => throw new InvalidInputException($"--optimizer must be lbfgs or adam; got '{other}'.", "optimizer"),
        };
        double weight = pr.GetValue(_weight);
        if (!(weight > 0 && double.IsFinite(weight))) throw new InvalidInputException($"--boundary-weight must be finite and > 0; got {weight}.", "boundary-weight");
        if (plot is not null) CliPaths.RequireOutputFile("--plot", plot, ".png");
        var spec = ParseModel(model);
        var net = spec.Build(2, 1, new Rng((ulong)seed));
        var options = new PinnOptions(nc, nbd, steps, opt, lr, weight, Seed: (ulong)seed + 1);
        var (c1, c2) = problem.Coordinates;
        Console.WriteLine($"fit --pde {problem}");
        Console.WriteLine($"model {spec}{(spec.Activation is { } a ? " (" + a + ")" : "")}: {net.ParameterCount} parameters; {nc} collocation + {nbd} boundary points (weight {weight.ToString(CultureInfo.InvariantCulture)}); {steps} {opt} steps");
        int every = Math.Max(1, steps / 10);
        Runs.CommandRun.Current?.Begin(new Dictionary<string, string> { ["data"] = problem.ToString(), ["model"] = spec.ToString(), ["activation"] = spec.Activation?.ToString() ?? "" });
        var result = PinnFit.Run(net, problem, options, s =>
        {
            Runs.RecordedFit.PdeStep(Runs.CommandRun.Current, s, every, steps);
            if ((s.Step + 1) % every == 0 || s.Step + 1 == steps)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  step {s.Step + 1,5}: loss {s.Loss:E3} (residual {s.Residual:E3}, boundary {s.Boundary:E3})"));
        });
        Runs.CommandRun.Current?.Final(new Dictionary<string, double> { ["relative_l2"] = result.RelativeL2, ["max_error"] = result.MaxError, ["parameters"] = net.ParameterCount });
        if (!double.IsFinite(result.RelativeL2))
            throw new InvalidInputException($"--pde {problem.Name}: the fit diverged (relative L2 error {result.RelativeL2}); try --optimizer adam or fewer --steps.", "pde");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"relative L2 error {result.RelativeL2:E3}, max |u − u*| {result.MaxError:E3} on a {options.EvalGrid}×{options.EvalGrid} grid of {c1}, {c2}"));
        if (plot is not null)
        {
            var (a0, b0) = problem.Lower;
            var (a1, b1) = problem.Upper;
            var err = new double[options.EvalGrid, options.EvalGrid];
            for (int i = 0; i < options.EvalGrid; i++)
                for (int j = 0; j < options.EvalGrid; j++) err[i, j] = result.Predicted[i, j] - result.Solution[i, j];
            string errPath = Path.Combine(Path.GetDirectoryName(plot) ?? "", Path.GetFileNameWithoutExtension(plot) + "-error.png");
            FieldPlot.Write(plot, result.Predicted, (a0, a1, b0, b1), $"{problem.Name}: fitted u", c1, c2);
            FieldPlot.Write(errPath, err, (a0, a1, b0, b1), string.Create(CultureInfo.InvariantCulture, $"{problem.Name}: u − u* (rel. L2 {result.RelativeL2:E2})"), c1, c2);
            Console.WriteLine($"solution written to {plot}, error to {errPath}");
        }
        return 0;
    }

    // "mlp:64,64(sine)" → mlp:64,64 with activation sine; an MLP without one gets tanh (relu's second derivative is 0).
    internal static ModelSpec ParseModel(string model)
    {
        string? activation = null;
        int colon = model.IndexOf(':');
        int open = colon < 0 ? -1 : model.IndexOf('(', colon);
        if (open >= 0)
        {
            if (!model.TrimEnd().EndsWith(')'))
                throw new InvalidInputException($"--model '{model}': expected the activation in parentheses at the end, e.g. mlp:64,64(tanh).", "model");
            activation = model[(open + 1)..model.TrimEnd().LastIndexOf(')')];
            model = model[..open];
        }
        var spec = ModelSpec.Parse(model, activation);
        if (spec.Kind is MlpKind && activation is null) spec = ModelSpec.Parse(model, "tanh");
        return spec;
    }
}
