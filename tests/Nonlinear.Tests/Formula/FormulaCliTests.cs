using Nonlinear.IO;
using Nonlinear.Tests.Cli;
using Xunit;

namespace Nonlinear.Tests.Formula;

/// <summary>A formula activation through the CLI: trained, saved as its text in the checkpoint, loaded back by eval.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FormulaCliTests
{
    [Fact]
    public void TrainSavesTheFormulaAndEvalLoadsItBack()
    {
        string dir = CliHarness.TempDir("formula");
        try
        {
            string path = Path.Combine(dir, "mish.safetensors");
            const string formula = "x*tanh(softplus(b*x)); b=1.5";
            var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:16", "--activation", formula, "--epochs", "3", "--lr", "0.003",
                "--threads", "1", "--store", "none", "--save", path);
            Assert.True(code == 0, output + err);
            var (_, meta) = SafeTensors.Load(path);
            Assert.Equal(formula, meta["activation"]);
            var (evalCode, evalOut, evalErr) = CliHarness.Run("eval", "--checkpoint", path, "--threads", "1");
            Assert.True(evalCode == 0, evalOut + evalErr);
            // eval rebuilt the model from the metadata: the formula parsed back and the weights loaded into its layers.
            Assert.Contains(formula, evalOut);
            var m = System.Text.RegularExpressions.Regex.Match(evalOut, @"test accuracy (\d+(\.\d+)?) ?%");
            Assert.True(m.Success, evalOut);
            // Far above chance (10 classes): a reload that lost the weights or swapped the activation would sit near 10 %.
            Assert.InRange(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 30, 100);

            var bad = CliHarness.Run("train", "--data", "digits", "--model", "mlp:16", "--activation", "log(x)", "--epochs", "1", "--threads", "1", "--store", "none");
            Assert.Equal(2, bad.Code);
            Assert.Contains("activation formula 'log(x)' is NaN at x = -5.9537", bad.Err);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
