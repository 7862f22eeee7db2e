using System.Globalization;
using Nonlinear.IO;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>`quantize`, `eval` and `export` on a CNN checkpoint and on an `lm train` checkpoint, end to end.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class QuantizeCnnLmCliTests : IDisposable
{
    private readonly string _dir = CliHarness.TempDir("quant-cnn-lm");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double Percent(string output, string marker)
    {
        string line = output.Split('\n').First(l => l.Contains(marker, StringComparison.Ordinal));
        string after = line[(line.IndexOf("test accuracy ", StringComparison.Ordinal) + 14)..];
        return double.Parse(after[..after.IndexOf('%')], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void CnnQuantizesEvaluatesAndRefusesQdqExportInOneLine()
    {
        string ckpt = Path.Combine(_dir, "cnn.safetensors"), q = Path.Combine(_dir, "q.safetensors");
        var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "cnn:4,8", "--epochs", "2", "--threads", "1", "--save", ckpt);
        Assert.True(code == 0, err);
        (code, output, err) = CliHarness.Run("quantize", ckpt, "--out", q, "--method", "mse", "--equalize", "--threads", "1");
        Assert.True(code == 0, err);
        double floatAcc = Percent(output, "float:"), int8Acc = Percent(output, "int8:");
        Assert.True(Math.Abs(floatAcc - int8Acc) <= 1.0, output);
        Assert.Equal("conv2d", SafeTensors.Load(q).Metadata["layers.0.kind"]);
        // eval of the int8 file runs the int8 kernels and prints the accuracy quantize printed.
        (code, output, err) = CliHarness.Run("eval", "--checkpoint", q, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Equal(int8Acc, Percent(output, "int8"));
        (code, _, err) = CliHarness.Run("export", q, "--onnx", Path.Combine(_dir, "q.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("QuantizedConv2d, which has no QDQ form", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void ABadActivationScaleIsOneLine()
    {
        var (code, _, err) = CliHarness.Run("quantize", "x.safetensors", "--out", Path.Combine(_dir, "q.safetensors"), "--activation-scale", "per-column");
        Assert.Equal(2, code);
        Assert.Contains("--activation-scale must be per-row or per-tensor; got 'per-column'", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void QatEightCnnConvertsToInt8()
    {
        string ckpt = Path.Combine(_dir, "qcnn.safetensors"), q = Path.Combine(_dir, "qcnn-int8.safetensors");
        var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "cnn:4,8", "--epochs", "2", "--threads", "1", "--qat", "8", "--save", ckpt);
        Assert.True(code == 0, err);
        (code, output, err) = CliHarness.Run("eval", "--checkpoint", ckpt, "--threads", "1");
        Assert.True(code == 0, err);
        double fake = Percent(output, "fake-quantized float"), int8 = Percent(output, "int8 (learned ranges");
        Assert.True(Math.Abs(fake - int8) <= 0.5, output);
        (code, output, err) = CliHarness.Run("quantize", ckpt, "--out", q, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("ranges learned by --qat 8, no calibration", output);
        Assert.Equal(int8, Percent(output, "int8:"));
    }

    [Fact]
    public void LanguageModelQuantizesEvaluatesAndExports()
    {
        string ckpt = Path.Combine(_dir, "lm.safetensors"), q = Path.Combine(_dir, "lm-q.safetensors"), onnx = Path.Combine(_dir, "lm.onnx");
        var (code, output, err) = CliHarness.Run("lm", "train", "--text", "bundled", "--model", "gpt:1x16,heads=2,ctx=16", "--mlp", "swiglu",
            "--position", "rotary", "--norm", "rmsnorm", "--steps", "6", "--batch", "4", "--eval-every", "6", "--sample", "0", "--threads", "1", "--out", ckpt);
        Assert.True(code == 0, err);
        (code, output, err) = CliHarness.Run("quantize", ckpt, "--out", q, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("dynamic int8 (4 Linear layers", output);
        var meta = SafeTensors.Load(q).Metadata;
        Assert.Equal("nonlinear-lm-int8/1", meta["format"]);
        Assert.Equal("per_row", meta["activation_scale"]);
        string int8Bpc = double.Parse(meta["int8_val_bpc"], CultureInfo.InvariantCulture).ToString("0.0000", CultureInfo.InvariantCulture);
        Assert.Contains($"int8: val {int8Bpc} bpc", output);
        // eval of the int8 file reproduces the bpc quantize measured; eval of the float checkpoint its float bpc.
        (code, output, err) = CliHarness.Run("eval", "--checkpoint", q, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"val {int8Bpc} bits per character", output);
        string floatBpc = double.Parse(meta["float_val_bpc"], CultureInfo.InvariantCulture).ToString("0.0000", CultureInfo.InvariantCulture);
        (code, output, err) = CliHarness.Run("eval", "--checkpoint", ckpt, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"val {floatBpc} bits per character", output);

        (code, output, err) = CliHarness.Run("export", ckpt, "--onnx", onnx, "--opset", "17");
        Assert.True(code == 0, err);
        Assert.Contains("input input_ids int64 [N, T ≤ 16]", output);
        Assert.Contains("Softmax 1", output);
        Assert.True(File.Exists(onnx));
        (code, _, err) = CliHarness.Run("export", q, "--onnx", Path.Combine(_dir, "q.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("give the `lm train` checkpoint", err);
    }
}
