using Nonlinear.Tests.Cli;
using Xunit;

namespace Nonlinear.Tests.Inr;

/// <summary>`nonlinear fit --image`: the files it writes, its per-step metrics and its one-line errors.</summary>
[Collection(nameof(ConsoleCollection))]
public class FitImageCliTests
{
    private static string Camera => Path.Combine(FindRepo(), "data", "images", "camera-64.png");

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "data", "images", "camera-64.png"))) return d.FullName;
        throw new FileNotFoundException("data/images/camera-64.png not found above the test binaries.");
    }

    [Fact]
    public void FitsWritesThePngsAndLogsPsnrAndSsim()
    {
        string dir = CliHarness.TempDir("fit-image");
        var (code, o, e) = CliHarness.Run("fit", "--image", Camera, "--size", "16", "--model", "siren:32x2", "--steps", "20", "--log-every", "10",
            "--lr", "1e-3", "--batch", "100", "--out", dir, "--threads", "1");
        Assert.True(code == 0, o + e);
        Assert.Contains("16×16, gray", o);
        Assert.Contains("siren:32x2", o);
        Assert.Equal(2, o.Split('\n').Count(l => l.Contains("PSNR") && l.Contains("SSIM") && l.TrimStart().StartsWith("step")));
        Assert.Equal((16, 16), CliHarness.PngSize(Path.Combine(dir, "reconstruction.png")));
        Assert.Equal((16, 16), CliHarness.PngSize(Path.Combine(dir, "target.png")));
        CliHarness.PngSize(Path.Combine(dir, "error.png"));
        var csv = File.ReadAllLines(Path.Combine(dir, "history.csv"));
        Assert.Equal("step,loss,psnr_db,ssim,seconds", csv[0]);
        Assert.Equal(3, csv.Length);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void MlpWithFourierFeaturesAndGradientSupervisionRun()
    {
        var (code, o, e) = CliHarness.Run("fit", "--image", Camera, "--size", "16", "--model", "mlp:16x2", "--encoding", "fourier(3,8)", "--steps", "5", "--threads", "1");
        Assert.True(code == 0, o + e);
        Assert.Contains("after fourier(3,8)", o);
        (code, o, e) = CliHarness.Run("fit", "--image", Camera, "--size", "16", "--model", "siren:8x1", "--supervise", "gradient", "--steps", "5", "--threads", "1");
        Assert.True(code == 0, o + e);
        Assert.Contains("mean matched", o);
    }

    [Theory]
    [InlineData("--supervise", "curl", "--supervise must be values, gradient or laplacian")]
    [InlineData("--batch", "half", "--batch must be full or a pixel count")]
    [InlineData("--encoding", "pe(99)", "--encoding 'pe(99)'")]
    [InlineData("--model", "siren:8x0", "--model 'siren:8x0'")]
    [InlineData("--supervise", "laplacian", "does not declare derivatives beyond the second")]
    public void BadOptionsAreOneLineErrors(string option, string value, string expected)
    {
        var args = new List<string> { "fit", "--image", Camera, "--size", "16", "--steps", "1", option, value };
        if (option == "--supervise" && value == "laplacian") args.AddRange(["--model", "spder:4x1"]);
        var (code, o, e) = CliHarness.Run(args.ToArray());
        Assert.True(code == 2, $"exit {code}: {o}{e}");
        Assert.Contains(expected, e);
    }

    // Options of the formula/CSV pipeline used to be ignored silently under --image and --pde.
    [Theory]
    [InlineData("--image", "--grid", "10")]
    [InlineData("--image", "--symbolic", null)]
    [InlineData("--image", "--optimizer", "adam")]
    [InlineData("--pde", "--restarts", "4")]
    [InlineData("--pde", "--activation", "sine")]
    [InlineData("--pde", "--lambda", "0.01")]
    public void PipelineOptionsAreRefusedWithImageAndPde(string mode, string option, string? value)
    {
        var args = new List<string> { "fit", mode, mode == "--image" ? Camera : "poisson2d", "--steps", "1", option };
        if (value is not null) args.Add(value);
        var (code, o, e) = CliHarness.Run(args.ToArray());
        Assert.True(code == 2, $"exit {code}: {o}{e}");
        Assert.Contains($"{option} applies to --formula/--csv fits, not to {mode}", e);
        Assert.Single(e.Trim().Split('\n'));
    }

    [Fact]
    public void AnUnknownSampleNameSaysWhereItLooked()
    {
        var (code, _, e) = CliHarness.Run("fit", "--image", "no-such-sample", "--steps", "1");
        Assert.Equal(2, code);
        Assert.Contains("not a scikit-image sample", e);
    }
}
