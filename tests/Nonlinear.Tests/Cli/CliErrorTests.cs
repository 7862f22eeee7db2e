using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>Console output is process-wide, so these tests never run beside other tests that print.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

[Collection(nameof(ConsoleCollection))]
public class CliErrorTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Theory]
    [InlineData(new[] { "train", "--activation", "gelu_x" }, "unknown activation 'gelu_x'")]
    [InlineData(new[] { "train", "--epochs", "0" }, "--epochs must be in [1, 100000]; got 0.")]
    [InlineData(new[] { "train", "--epochs", "many" }, "many")]
    [InlineData(new[] { "train", "--model", "mlp:0" }, "--model 'mlp:0': width 0 is not in [1, 65536]")]
    [InlineData(new[] { "train", "--optimizer", "lion" }, "--optimizer: expected adam, adamw or sgd; got 'lion'.")]
    [InlineData(new[] { "train", "--data", "/no/such.csv" }, "data '/no/such.csv': expected digits, fashion-mnist or the path of an existing CSV file")]
    [InlineData(new[] { "eval", "--checkpoint", "/no/such.safetensors" }, "/no/such.safetensors")]
    [InlineData(new[] { "activations", "list", "--property", "spiky" }, "--property: unknown property 'spiky'")]
    [InlineData(new[] { "train", "--activation", "leaky_relu(1e40)" }, "--activation: activation 'leaky_relu(1e40)': negative_slope = 1e40 is outside the float32 range")]
    [InlineData(new[] { "train", "--model", "mlpx:4" }, "--model 'mlpx:4': unknown model kind")]
    [InlineData(new[] { "train", "--model", "kan:8", "--activation", "gelu" }, "kan models take no activation")]
    public void UserMistakesEndInOneLineAndExitCode2(string[] args, string expected)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nonlinear: error: ", line);
        Assert.Contains(expected, line);
        // Wrapped library messages must not carry ArgumentException's "(Parameter 'x')" suffix into the user's line.
        Assert.DoesNotContain("(Parameter '", line);
    }

    [Fact]
    public void NaNInCsvIsReportedWithItsPosition()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nl-nan-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "1,2,0\n3,NaN,1\n");
        try
        {
            var (code, _, err) = Run("train", "--data", path);
            Assert.Equal(2, code);
            Assert.Contains(":2:2: NaN in data", err);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ActivationsShowPrintsValuesFromTheKernel()
    {
        var (code, output, _) = Run("activations", "show", "relu6");
        Assert.Equal(0, code);
        Assert.Contains("f(x)     = min(max(0, x), 6)", output);
        // The table row for x = 5 has f(5) = 5 and f'(5) = 1.
        Assert.Matches(@"\n\s+5\s+5\s+1\s*\n", output);
    }
}
