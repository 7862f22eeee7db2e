using Nonlinear.Cli.Commands;
using Nonlinear.Kan;
using Nonlinear.Kan.Interpret;
using Nonlinear.Optim;
using Nonlinear.Store;
using Nonlinear.Tests.Cli;
using Xunit;

namespace Nonlinear.Tests.Fitting;

/// <summary>
/// `fit --formula/--csv` adds nothing to the library's defaults: a bare command line binds to <see cref="KanFitOptions.Defaults"/>
/// (which is <c>new KanFitOptions(widths, grids)</c>), each flag changes only its own field, and a run records the
/// warm-up it used even when the flag was not given.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FitDefaultsTests
{
    private static readonly KanFitOptions D = KanFitOptions.Defaults;

    [Fact]
    public void ABareCommandLineFitsWithTheLibraryDefaults()
    {
        var parsed = FitCommand.ParseKanOptions(2);
        // The arrays and the layer options come from the data and --model; with them swapped in, the records are equal field by field.
        Assert.Equal([2, 5, 1], parsed.Widths);
        Assert.Equal([5], parsed.GridSchedule);
        Assert.Equal(D, parsed with { Widths = D.Widths, GridSchedule = D.GridSchedule, Layer = D.Layer });
        Assert.Equal(new KanFitOptions(D.Widths, D.GridSchedule), D);
        // kan:5's layers are pykan's: B-splines on a grid of 5.
        Assert.Equal(KanOptions.Pykan.Bases, parsed.Layer!.Bases);
        // Spelled out, so that a change of a default is visible here (and in the README's lines that quote them).
        Assert.Equal((50, FullBatchOptimizer.Lbfgs, 200, 0UL, false, false), (parsed.Steps, parsed.Optimizer, parsed.WarmupSteps, parsed.Seed, parsed.Prune, parsed.Symbolic));
        Assert.Null(parsed.Regularization);
        Assert.Null(parsed.Library);
    }

    [Fact]
    public void EachFlagSetsItsOwnField()
    {
        var parsed = FitCommand.ParseKanOptions(4, "--model", "kan:2,1", "--grid-schedule", "3,5,10", "--steps", "20", "--optimizer", "adam",
            "--lambda", "0.01", "--prune", "--symbolic", "--seed", "3", "--warmup", "0", "--lib", "x,sin");
        Assert.Equal([4, 2, 1, 1], parsed.Widths);
        Assert.Equal([3, 5, 10], parsed.GridSchedule);
        Assert.Equal((20, FullBatchOptimizer.Adam, 0, 3UL, true, true, 0.01), (parsed.Steps, parsed.Optimizer, parsed.WarmupSteps, parsed.Seed, parsed.Prune, parsed.Symbolic, parsed.Regularization!.Lambda));
        Assert.Equal(["x", "sin", "0"], parsed.Library!.Select(f => f.Name));
        Assert.Equal((D.PruneThreshold, D.SymbolicTolerance, D.GridUpdates), (parsed.PruneThreshold, parsed.SymbolicTolerance, parsed.GridUpdates));
    }

    [Theory]
    [InlineData("--warmup", "-1", "--warmup must be in [0, 100000]; got -1.")]
    [InlineData("--steps", "-2", "--steps must be in [0, 100000]; got -2.")]
    [InlineData("--optimizer", "sgd", "--optimizer must be lbfgs or adam; got 'sgd'.")]
    public void AnOutOfRangeFlagIsAUserError(string flag, string value, string expected)
    {
        var ex = Assert.Throws<InvalidInputException>(() => FitCommand.ParseKanOptions(2, flag, value));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void ARunPrintsAndRecordsTheDefaultWarmup()
    {
        string dir = CliHarness.TempDir("fit-defaults");
        try
        {
            string db = Path.Combine(dir, "runs.sqlite");
            var (code, output, err) = CliHarness.Run("fit", "--formula", "x*y", "--model", "kan:2", "--steps", "2", "--train", "64", "--test", "64", "--threads", "1", "--store", db);
            Assert.True(code == 0, err);
            Assert.Contains("200 Adam warm-up steps, 2 Lbfgs steps per stage", output);
            using var s = RunStore.Open(StoreUrl.Parse(db));
            Assert.Equal("200", s.GetRun(1)!.Config["warmup"]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
