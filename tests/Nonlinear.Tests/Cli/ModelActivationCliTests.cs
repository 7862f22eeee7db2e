using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>--model and --activation through the CLI: CNNs take learnable units, KAN kinds refuse activations, fit takes hidden widths.</summary>
[Collection(nameof(ConsoleCollection))]
public class ModelActivationCliTests
{
    private static long Parameters(string output) =>
        long.Parse(Regex.Match(output, @"\(([\d,]+) parameters\)").Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture);

    /// <summary>The bug of issue 9: `cnn:4 --activation prelu` trained with no activation while printing "activation prelu".</summary>
    [Fact]
    public void CnnTrainsWithPrelu()
    {
        var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "cnn:4", "--activation", "prelu", "--epochs", "1", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("activation prelu", output);
        var (code2, identity, err2) = CliHarness.Run("train", "--data", "digits", "--model", "cnn:4", "--activation", "identity", "--epochs", "1", "--threads", "1");
        Assert.True(code2 == 0, err2);
        // One shared PReLU slope (torch.nn.PReLU's default) after the single conv block.
        Assert.Equal(Parameters(identity) + 1, Parameters(output));
    }

    [Theory]
    [InlineData("train", "--model", "kan:8", "--activation", "gelu")]
    [InlineData("compare", "--model", "kan:16", "--activations", "relu,gelu,prelu")]
    public void KanKindsRefuseActivationsInOneLine(params string[] args)
    {
        var (code, _, err) = CliHarness.Run([.. args, "--epochs", "1"]);
        Assert.Equal(2, code);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("kan models take no activation", line);
    }

    [Fact]
    public void FitRefusesFullWidthsWithTheFix()
    {
        var (code, _, err) = CliHarness.Run("fit", "--formula", "x*y", "--model", "kan:2,5,1", "--steps", "1");
        Assert.Equal(2, code);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--model 'kan:2,5,1' lists full widths (inputs 2 and output 1); widths are hidden widths, write kan:5.", line);
    }

    [Fact]
    public void FitTakesHiddenWidthsAsTrainDoes()
    {
        var (code, output, err) = CliHarness.Run("fit", "--formula", "x*y", "--model", "kan:3", "--steps", "1", "--train", "50", "--test", "20", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("KAN [2, 3, 1]", output);
    }

    [Fact]
    public void ShowSaysWhichMeaningANameHas()
    {
        var (code, learnable, err) = CliHarness.Run("activations", "show", "prelu");
        Assert.True(code == 0, err);
        Assert.Contains("prelu  (learnable: its parameters are trained with the weights; the fixed catalog entry is prelu_fixed)", learnable);
        Assert.Contains("init = 0.25 (default 0.25", learnable);
        var (code2, fixedOne, err2) = CliHarness.Run("activations", "show", "prelu_fixed");
        Assert.True(code2 == 0, err2);
        Assert.Contains("fixed: no trained parameters; the learnable unit is prelu", fixedOne);
    }

    [Fact]
    public void ListShowsLearnableUnits()
    {
        var (code, output, err) = CliHarness.Run("activations", "list", "--family", "learnable");
        Assert.True(code == 0, err);
        foreach (var unit in Nonlinear.Layers.Learnable.LearnableUnits.All) Assert.Contains(unit.Name, output);
        Assert.Contains($"{Nonlinear.Layers.Learnable.LearnableUnits.All.Count} of {Nonlinear.Layers.ActivationRegistry.All.Count} activations", output);
    }

    /// <summary>A KAN checkpoint stores no activation and evaluates; one written before KAN kinds refused --activation (stored "relu") still loads.</summary>
    [Fact]
    public void KanCheckpointsStoreNoActivationAndOldOnesStillLoad()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nl-kan-{Guid.NewGuid():N}.safetensors");
        try
        {
            var (code, _, err) = CliHarness.Run("train", "--data", "digits", "--model", "kan:4", "--epochs", "1", "--threads", "1", "--save", path);
            Assert.True(code == 0, err);
            var (tensors, meta) = Nonlinear.IO.SafeTensors.Load(path);
            Assert.Equal(("kan:4", ""), (meta["model"], meta["activation"]));
            meta["activation"] = "relu";
            Nonlinear.IO.SafeTensors.Save(path, tensors, meta);
            var (code2, output, err2) = CliHarness.Run("eval", "--checkpoint", path, "--threads", "1");
            Assert.True(code2 == 0, err2);
            Assert.Contains("kan:4 none after 1 epoch(s)", output);
        }
        finally { File.Delete(path); }
    }
}
