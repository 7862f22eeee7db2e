using System.Globalization;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>`--test FILE` in train, compare and eval (issue 9, item 9).</summary>
[Collection(nameof(ConsoleCollection))]
public class GivenTestCliTests
{
    private static string Csv(string dir, string name, int rows, int offset)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllLines(path, Enumerable.Range(offset, rows).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{i % 7 * 0.5},{i % 5 - 2},{(i % 7 < 3 ? 0 : 1)}")));
        return path;
    }

    [Fact]
    public void HelpSaysWhatHappensWithoutIt()
    {
        foreach (string command in new[] { "train", "compare", "eval" })
        {
            var (code, output, _) = CliHarness.Run(command, "--help");
            Assert.Equal(0, code);
            string flat = string.Join(" ", output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("--test", flat);
            Assert.Contains("split 80/20, stratified by class, with the fixed seed 20241123", flat);
        }
    }

    [Fact]
    public void TrainAndEvalUseTheGivenTestFile()
    {
        string dir = CliHarness.TempDir("given-test");
        string train = Csv(dir, "train.csv", 40, 0), test = Csv(dir, "test.csv", 9, 100), other = Csv(dir, "other.csv", 5, 200);
        string ck = Path.Combine(dir, "ck.safetensors");
        var (code, output, err) = CliHarness.Run("train", "--data", train, "--test", test, "--model", "mlp:4", "--epochs", "1", "--threads", "1", "--save", ck);
        Assert.True(code == 0, err);
        Assert.Contains($"{train} (test {test}): 40 train / 9 test, 2 features, 2 classes", output);

        // eval defaults to the test file the checkpoint was trained with, and takes another one when given.
        (code, output, err) = CliHarness.Run("eval", "--checkpoint", ck, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"on {test}: test loss", output);
        Assert.Contains("(9 samples)", output);
        (code, output, err) = CliHarness.Run("eval", "--checkpoint", ck, "--test", other, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"on {other}: test loss", output);
        Assert.Contains("(5 samples)", output);
    }

    [Fact]
    public void MismatchedTestFileIsAOneLineError()
    {
        string dir = CliHarness.TempDir("given-test-bad");
        string train = Csv(dir, "train.csv", 20, 0), wide = Path.Combine(dir, "wide.csv");
        File.WriteAllText(wide, "1,2,3,0\n");
        var (code, _, err) = CliHarness.Run("train", "--data", train, "--test", wide, "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Equal($"nonlinear: error: {wide}: 3 features per row, but the training data {train} has 2.", err.Trim());
    }
}
