using Nonlinear.Tests.Export;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>`nonlinear export`: a checkpoint from `train` becomes an ONNX file whose output ORT reproduces; errors are one line.</summary>
public sealed class ExportCliTests
{
    [Fact]
    public void ExportsATrainedCheckpointAndReportsOperators()
    {
        string dir = CliHarness.TempDir("export");
        string ckpt = Path.Combine(dir, "m.safetensors"), onnx = Path.Combine(dir, "m.onnx");
        var (code, _, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:8", "--activation", "mish", "--epochs", "1", "--threads", "1", "--save", ckpt);
        Assert.True(code == 0, err);
        (code, var output, err) = CliHarness.Run("export", ckpt, "--onnx", onnx, "--opset", "17");
        Assert.True(code == 0, err);
        Assert.Contains("opset 17, input [N, 64], output [N, 10]", output);
        Assert.Contains("operators: ", output);
        Assert.Contains("Gemm 2", output);
        Assert.Contains($"{new FileInfo(onnx).Length:N0} bytes", output);
    }

    [Theory]
    [InlineData("--opset", "12")]
    [InlineData("--opset", "30")]
    public void BadOpsetIsAOneLineError(string option, string value)
    {
        string dir = CliHarness.TempDir("export-bad");
        string ckpt = Path.Combine(dir, "m.safetensors");
        var (code, _, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:4", "--epochs", "1", "--threads", "1", "--save", ckpt);
        Assert.True(code == 0, err);
        (code, _, err) = CliHarness.Run("export", ckpt, "--onnx", Path.Combine(dir, "m.onnx"), option, value);
        Assert.Equal(2, code);
        Assert.Contains($"opset must be in [17, 21]; got {value}", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void MissingCheckpointOrOutputAreOneLineErrors()
    {
        string dir = CliHarness.TempDir("export-missing");
        var (code, _, err) = CliHarness.Run("export", Path.Combine(dir, "none.safetensors"), "--onnx", Path.Combine(dir, "m.onnx"));
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        (code, _, err) = CliHarness.Run("export", Path.Combine(dir, "none.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("--onnx", err);
    }
}
