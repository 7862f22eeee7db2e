using Nonlinear.Tests.Export;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>`train --qat` end to end: the checkpoint records it, `quantize` uses the learned ranges, `eval` reports both accuracies, `export` writes QDQ.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class QatCliTests
{
    [Fact]
    public void QatEightTrainsQuantizesEvaluatesAndExports()
    {
        string dir = CliHarness.TempDir("qat");
        string ckpt = Path.Combine(dir, "m.safetensors"), q = Path.Combine(dir, "q.safetensors"), onnx = Path.Combine(dir, "q.onnx");
        var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:32", "--activation", "gelu", "--epochs", "2", "--threads", "1", "--qat", "8", "--save", ckpt);
        Assert.True(code == 0, err);
        Assert.Contains("quantization-aware (8)", output);
        Assert.Equal("8", Nonlinear.IO.SafeTensors.Load(ckpt).Metadata["qat"]);

        (code, output, err) = CliHarness.Run("quantize", ckpt, "--out", q, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("ranges learned by --qat 8, no calibration", output);
        Assert.Contains("fake-quant float: test accuracy", output);

        (code, output, err) = CliHarness.Run("eval", "--checkpoint", ckpt, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("(--qat 8, fake-quantized float)", output);
        Assert.Contains("int8 (learned ranges, int8 kernels): test loss", output);
        // The int8 accuracy `eval` prints for the checkpoint is the one `eval` of the quantized file gives.
        string int8Line = output.Split('\n').Single(l => l.Contains("int8 (learned ranges"));
        string acc = int8Line[(int8Line.IndexOf("test accuracy ", StringComparison.Ordinal) + 14)..].Split(' ')[0];
        (code, output, err) = CliHarness.Run("eval", "--checkpoint", q, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"test accuracy {acc}", output);

        (code, output, err) = CliHarness.Run("export", q, "--onnx", onnx, "--opset", "17");
        Assert.True(code == 0, err);
        Assert.Contains("int8 QDQ (3 layers), opset 17, input [N, 64], output [N, 10]", output);
        Assert.Contains("QuantizeLinear 2", output);
        Assert.True(File.Exists(onnx));
    }

    [Fact]
    public void LowBitCheckpointIsRefusedByQuantizeInOneLine()
    {
        string dir = CliHarness.TempDir("qat-low");
        string ckpt = Path.Combine(dir, "m.safetensors");
        var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:8", "--epochs", "1", "--threads", "1", "--qat", "binary", "--save", ckpt);
        Assert.True(code == 0, err);
        (code, output, err) = CliHarness.Run("eval", "--checkpoint", ckpt, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("(--qat binary, fake-quantized float)", output);
        (code, _, err) = CliHarness.Run("quantize", ckpt, "--out", Path.Combine(dir, "q.safetensors"), "--threads", "1");
        Assert.Equal(2, code);
        Assert.Contains("was trained with --qat binary", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--qat", "3bit", "--qat: expected 8, 4, 2")]
    [InlineData("--qat", "9", "got '9'")]
    public void BadQatIsAOneLineError(string option, string value, string message)
    {
        var (code, _, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:4", "--epochs", "1", "--threads", "1", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void BinaryQatOnACnnNamesTheLayer()
    {
        var (code, _, err) = CliHarness.Run("train", "--data", "digits", "--model", "cnn:4", "--epochs", "1", "--threads", "1", "--qat", "binary");
        Assert.Equal(2, code);
        Assert.Contains("covers Linear layers only; a CNN trains quantization-aware with --qat 8, 4 or 2 (layer '1' is a Conv2d)", err);
    }
}
