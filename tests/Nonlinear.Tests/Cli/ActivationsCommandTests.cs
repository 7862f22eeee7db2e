using Nonlinear.Activations;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>`nonlinear activations list|show|plot` read the catalog, whatever it holds.</summary>
[Collection(nameof(ConsoleCollection))]
public class ActivationsCommandTests
{
    [Fact]
    public void ListShowsEveryEntryWithItsColumns()
    {
        var (code, output, _) = CliHarness.Run("activations", "list");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^name\s+aliases\s+family\s+parameters\s+properties\s+fused\s+year$", lines[0]);
        int n = Nonlinear.Layers.ActivationRegistry.All.Count, learnable = Nonlinear.Layers.Learnable.LearnableUnits.All.Count;
        Assert.Equal(ActivationCatalog.All.Count + learnable, n);
        Assert.Equal($"{n} of {n} activations ({learnable} learnable).", lines[^1]);
        foreach (var e in Nonlinear.Layers.ActivationRegistry.All)
            Assert.Contains(lines, l => l.StartsWith(e.Name + " ", StringComparison.Ordinal) || l == e.Name);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^prelu\s+parametric_relu\s+learnable\s+init=0.25, per_channel=false\s+2015$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^leaky_relu\s+lrelu, leakyrelu\s+relu\s+negative_slope=0.01\s+monotonic, zerocentred, positivelyhomogeneous\s+yes\s+2013$"));
    }

    [Fact]
    public void ListFiltersByFamilyAndProperty()
    {
        var (code, output, _) = CliHarness.Run("activations", "list", "--family", "relu", "--property", "bounded_above");
        Assert.Equal(0, code);
        var expected = ActivationCatalog.All.Where(e => e.Info.Family == "relu" && e.Info.Properties.HasFlag(ActivationProperties.BoundedAbove)).ToList();
        Assert.NotEmpty(expected);   // relu6 at least
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{expected.Count} of {Nonlinear.Layers.ActivationRegistry.All.Count} activations ({Nonlinear.Layers.Learnable.LearnableUnits.All.Count} learnable).", lines[^1]);
        Assert.Equal(expected.Count + 2, lines.Length);
        Assert.All(lines[1..^1], l => Assert.Contains(" relu ", l));
    }

    [Fact]
    public void ShowPrintsMetadataAndKernelValues()
    {
        var (code, output, _) = CliHarness.Run("activations", "show", "leaky_relu(0.2)");
        Assert.Equal(0, code);
        Assert.Contains("negative_slope = 0.2 (default 0.01", output);
        Assert.Contains("kinks:      0", output);
        Assert.Contains("PyTorch:    torch.nn.LeakyReLU", output);
        Assert.Matches(@"\n\s+-3\s+-0\.6\s+0\.2\s*\n", output);   // f(−3) = −0.6, f′(−3) = 0.2
        Assert.Matches(@"\n\s+3\s+3\s+1\s*\n", output);
    }

    [Fact]
    public void PlotWritesAPng()
    {
        string dir = CliHarness.TempDir("plot");
        try
        {
            string path = Path.Combine(dir, "acts.png");
            var (code, output, err) = CliHarness.Run("activations", "plot", "gelu,elu(alpha=0.5),relu", "--out", path, "--range", "-3,2");
            Assert.True(code == 0, err);
            Assert.Contains("f and f′ of gelu, elu(alpha=0.5), relu on [-3, 2]", output);
            Assert.Equal((960, 600), CliHarness.PngSize(path));
            Assert.True(new FileInfo(path).Length > 10_000);   // lines and text drawn, not an empty canvas
            Assert.Single(Directory.GetFiles(dir));           // no temporary file left
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
