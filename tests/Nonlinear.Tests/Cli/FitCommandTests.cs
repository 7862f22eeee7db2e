using Nonlinear.Cli;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>`nonlinear fit`: one-line errors for bad input, and a small end-to-end run with formula and plot.</summary>
[Collection(nameof(ConsoleCollection))]
public class FitCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Theory]
    [InlineData(new[] { "fit", "--formula", "exp(sin(pi*x)+y^2" }, "--formula: expected ')' to close exp( at column 18")]
    [InlineData(new[] { "fit", "--formula", "2x" }, "unexpected 'x' at column 2")]
    [InlineData(new[] { "fit" }, "give exactly one of --formula or --csv.")]
    [InlineData(new[] { "fit", "--csv", "a.csv" }, "--csv needs --target COLUMN.")]
    [InlineData(new[] { "fit", "--formula", "x", "--grid-schedule", "3,x" }, "--grid-schedule: 'x' is not a positive integer")]
    [InlineData(new[] { "fit", "--formula", "x", "--optimizer", "sgd" }, "--optimizer must be lbfgs or adam; got 'sgd'.")]
    [InlineData(new[] { "fit", "--formula", "log(x)" }, "formula log(x) is NaN at")]
    [InlineData(new[] { "fit", "--formula", "x", "--range", "1,-1" }, "--range must be lo,hi with lo < hi; got '1,-1'.")]
    [InlineData(new[] { "fit", "--formula", "x", "--model", "kan:2,0,1" }, "width 0 is not in [1, 65536]")]
    [InlineData(new[] { "fit", "--formula", "x", "--plot", "edges.jpg", "--steps", "0" }, "--plot 'edges.jpg': expected a file name ending in .png.")]
    public void UserMistakesEndInOneLineAndExitCode2(string[] args, string expected)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nonlinear: error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void FitsPrintsStagesFormulaAndWritesThePlot()
    {
        string png = Path.Combine(Path.GetTempPath(), $"nonlinear-fit-{Guid.NewGuid():N}.png");
        try
        {
            var (code, output, err) = Run("fit", "--formula", "2*x + y^2", "--model", "kan:1", "--grid-schedule", "3,5", "--steps", "5",
                "--symbolic", "--train", "300", "--test", "200", "--plot", png, "--threads", "1");
            Assert.True(code == 0, err);
            Assert.Contains("KAN [2, 1, 1]", output);
            Assert.Contains("grid 3", output);
            Assert.Contains("grid 5", output);
            Assert.Contains("test RMSE", output);
            Assert.Contains("formula: ", output);
            Assert.Contains("latex:   ", output);
            var bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        finally { File.Delete(png); }
    }
}
