using Nonlinear.Tests.Cli;
using Xunit;

namespace Nonlinear.Tests.Fitting;

/// <summary>`nonlinear fit` options added for trust: --restarts, --lib, --model mlp.</summary>
[Collection(nameof(ConsoleCollection))]
public class FitCliTests
{
    [Theory]
    [InlineData(new[] { "fit", "--formula", "x", "--lib", "x,sine" }, "--lib: unknown function 'sine'")]
    [InlineData(new[] { "fit", "--formula", "x", "--restarts", "0" }, "--restarts must be in [1, 1024]; got 0.")]
    [InlineData(new[] { "fit", "--formula", "x", "--model", "mlp:8", "--symbolic" }, "--symbolic, --prune, --lambda and --plot need a KAN")]
    [InlineData(new[] { "fit", "--formula", "x", "--restarts", "2", "--train", "5" }, "got only 5 training rows")]
    public void MistakesEndInOneLine(string[] args, string expected)
    {
        var (code, _, err) = CliHarness.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void RestartsReportTheSpreadAndTheChoice()
    {
        var (code, output, err) = CliHarness.Run("fit", "--formula", "x^2+y", "--model", "kan:2", "--grid", "3", "--steps", "3", "--restarts", "3",
            "--seed", "1", "--train", "200", "--test", "100", "--threads", "2");
        Assert.True(code == 0, err);
        Assert.Contains("160 train / 40 validation / 100 test", output);
        foreach (string seed in new[] { "3", "4", "5" }) Assert.Contains($"seed    {seed}: validation RMSE", output);
        Assert.Contains("spread over 3 seeds: validation RMSE min", output);
        Assert.Contains("chosen: seed ", output);
    }

    [Fact]
    public void MlpFitReportsItsParameters()
    {
        var (code, output, err) = CliHarness.Run("fit", "--formula", "x*y", "--model", "mlp:8", "--steps", "5", "--train", "200", "--test", "100", "--threads", "1");
        Assert.True(code == 0, err);
        // 2→8→1: 2·8 + 8 + 8 + 1 weights and biases.
        Assert.Contains("mlp        params     33", output);
        Assert.Contains("tanh", output);
    }
}
