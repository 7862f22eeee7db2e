using System.Text.RegularExpressions;
using Nonlinear.IO;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>
/// `train --learning` is part of the run a checkpoint records: eval of a feedback-alignment checkpoint reports the
/// accuracy training reported, a resume continues with the recorded mode, and a resume that types another mode is
/// refused like any other changed option.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed partial class LearningCheckpointCliTests : IDisposable
{
    private readonly string _dir = CliHarness.TempDir("learning");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FeedbackAlignmentIsRecordedAndResumed()
    {
        string ckpt = Path.Combine(_dir, "fa.safetensors");
        var (code, output, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:16", "--epochs", "1", "--lr", "0.003", "--threads", "1",
            "--learning", "fa", "--save", ckpt);
        Assert.True(code == 0, err);
        Assert.Equal("fa", SafeTensors.Load(ckpt).Metadata["learning"]);
        string trained = TestAccuracy().Matches(output)[^1].Groups[1].Value;

        (code, output, err) = CliHarness.Run("eval", "--checkpoint", ckpt, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"test accuracy {trained}", output);

        (code, _, err) = CliHarness.Run("train", "--resume", ckpt, "--epochs", "2", "--learning", "bp", "--threads", "1");
        Assert.Equal(2, code);
        Assert.Contains("--learning is bp but the checkpoint", err);

        (code, output, err) = CliHarness.Run("train", "--resume", ckpt, "--epochs", "2", "--threads", "1", "--save", ckpt);
        Assert.True(code == 0, err);
        Assert.Contains("learning: fa", output);
        Assert.Equal("fa", SafeTensors.Load(ckpt).Metadata["learning"]);
    }

    [GeneratedRegex(@"test acc\s+([0-9.]+ %)")]
    private static partial Regex TestAccuracy();
}
