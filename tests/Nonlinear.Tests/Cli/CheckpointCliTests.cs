using Nonlinear.IO;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Cli;

/// <summary>
/// Corrupt checkpoint metadata and state through `train --resume` and `eval --checkpoint`: every case is one line,
/// exit code 2, "corrupt checkpoint: KEY …" naming the stored value — no overflow trace, no option the user did not
/// type, no "training diverged". And resume's promises: options that disagree are refused, nothing-to-train still saves.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CheckpointCliTests : IDisposable
{
    private readonly string _dir = CliHarness.TempDir("ckpt");
    private readonly string _good;

    public CheckpointCliTests()
    {
        _good = Path.Combine(_dir, "good.safetensors");
        var (code, _, err) = CliHarness.Run("train", "--data", "digits", "--model", "mlp:8", "--epochs", "1", "--lr", "0.003", "--threads", "1", "--save", _good);
        Assert.True(code == 0, err);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A copy of the good checkpoint with <paramref name="edit"/> applied to its tensors and metadata.</summary>
    private string Corrupt(Action<Dictionary<string, Tensor>, Dictionary<string, string>> edit)
    {
        var (tensors, meta) = SafeTensors.Load(_good);
        edit(tensors, meta);
        string path = Path.Combine(_dir, $"bad-{Guid.NewGuid():N}.safetensors");
        SafeTensors.Save(path, tensors, meta);
        return path;
    }

    private static string OneLineError(params string[] args)
    {
        var (code, _, err) = CliHarness.Run(args);
        Assert.True(code == 2, $"exit {code}: {err}");
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nonlinear: error: ", line);
        return line;
    }

    [Theory]
    [InlineData("batch", "99999999999", "corrupt checkpoint: batch is '99999999999'; expected an integer in [1, 1048576]")]
    [InlineData("batch", "0", "corrupt checkpoint: batch is '0'; expected an integer in [1, 1048576]")]
    [InlineData("seed", "-5", "corrupt checkpoint: seed is '-5'; expected an integer in [0, 18446744073709551615]")]
    [InlineData("optimizer", "lbfgs", "corrupt checkpoint: optimizer is 'lbfgs'; expected adam, adamw or sgd")]
    [InlineData("optimizer", "1", "corrupt checkpoint: optimizer is '1'; expected adam, adamw or sgd")]
    [InlineData("epochs_done", "2147483647", "corrupt checkpoint: epochs_done is '2147483647'; expected an integer in [0, 1]")]
    [InlineData("lr", "NaN", "corrupt checkpoint: lr is 'NaN'; expected a positive finite number")]
    [InlineData("optim.lr", "-1", "corrupt checkpoint: optim.lr is '-1'; expected a positive finite number")]
    [InlineData("optim.param.0.step", "1e300", "corrupt checkpoint: optim.param.0.step is '1e300'; expected a positive integer")]
    public void BadMetadataIsACorruptCheckpoint(string key, string value, string expected)
    {
        string bad = Corrupt((_, m) => m[key] = value);
        string line = OneLineError("train", "--resume", bad, "--epochs", "2", "--threads", "1");
        Assert.Contains(expected, line);
        Assert.Contains(bad, line);
        // batch=0 used to be reported as "--batch must be in …", an option the user never typed.
        Assert.DoesNotContain("--batch", line);
        Assert.Contains(expected, OneLineError("eval", "--checkpoint", bad, "--threads", "1"));
    }

    [Fact]
    public void MomentsWithoutTheirStepCountAreACorruptCheckpoint()
    {
        string bad = Corrupt((_, m) => m.Remove("optim.param.0.step"));
        Assert.Contains("corrupt checkpoint: optim.param.0.step is missing but its moment 'param.0.exp_avg' is present",
            OneLineError("train", "--resume", bad, "--epochs", "2", "--threads", "1"));
    }

    [Theory]
    [InlineData("model.0.weight", float.NaN, "corrupt checkpoint: model tensor '0.weight' holds NaN at index 5 (expected finite values)")]
    [InlineData("optim.param.0.exp_avg", float.PositiveInfinity, "corrupt checkpoint: optimizer tensor 'param.0.exp_avg' holds Infinity at index 5")]
    [InlineData("optim.param.0.exp_avg_sq", -1f, "corrupt checkpoint: optimizer tensor 'param.0.exp_avg_sq' holds -1 at index 5 (expected finite values ≥ 0)")]
    public void NonFiniteOrNegativeStateIsACorruptCheckpointNotADivergence(string key, float value, string expected)
    {
        string bad = Corrupt((t, _) =>
        {
            var v = t[key].ToArray();
            v[5] = value;
            t[key] = Tensor.FromArray(v, t[key].Shape.ToArray());
        });
        var (code, output, err) = CliHarness.Run("train", "--resume", bad, "--epochs", "2", "--threads", "1");
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("diverged", output + err);
    }

    [Fact]
    public void AnOptionThatDisagreesWithTheCheckpointIsRefused()
    {
        string line = OneLineError("train", "--resume", _good, "--lr", "0.01", "--epochs", "2", "--threads", "1");
        Assert.Contains($"--lr is 0.01 but the checkpoint {_good} was trained with 0.003; omit --lr when resuming", line);
        line = OneLineError("train", "--resume", _good, "--optimizer", "sgd", "--epochs", "2", "--threads", "1");
        Assert.Contains("--optimizer is sgd but the checkpoint", line);
        // The same value typed differently is the same value.
        var (code, output, err) = CliHarness.Run("train", "--resume", _good, "--lr", "3e-3", "--epochs", "2", "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains("resumed from", output);
        Assert.Contains("adam lr 0.003,", output);
    }

    [Fact]
    public void ResumingWithNothingLeftToTrainStillWritesTheSaveFile()
    {
        string copy = Path.Combine(_dir, "copy.safetensors");
        var (code, output, err) = CliHarness.Run("train", "--resume", _good, "--epochs", "1", "--save", copy, "--threads", "1");
        Assert.True(code == 0, err);
        Assert.Contains($"nothing to train (1 of 1 epochs done); saved {copy} unchanged", output);
        var (a, metaA) = SafeTensors.Load(_good);
        var (b, metaB) = SafeTensors.Load(copy);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var k in a.Keys) Assert.Equal(a[k].ToArray(), b[k].ToArray());
        Assert.Equal(metaA["epochs_done"], metaB["epochs_done"]);
        Assert.Equal("0.003", metaB["lr"]);

        Assert.Contains("--epochs 1 is below the 2 epoch(s) the checkpoint",
            OneLineError("train", "--resume", Resumed(), "--epochs", "1", "--threads", "1"));
    }

    private string Resumed()
    {
        string two = Path.Combine(_dir, "two.safetensors");
        var (code, _, err) = CliHarness.Run("train", "--resume", _good, "--epochs", "2", "--save", two, "--threads", "1");
        Assert.True(code == 0, err);
        return two;
    }

    /// <summary>The typed learning rate is stored as typed, not as the float's double expansion 0.003000000026077032.</summary>
    [Fact]
    public void TypedNumbersAreStoredAsTyped()
    {
        var meta = SafeTensors.Load(_good).Metadata;
        Assert.Equal("0.003", meta["lr"]);
        Assert.Equal("0", meta["weight_decay"]);
        Assert.Equal("adam", meta["optimizer"]);
    }

    [Fact]
    public void EvalOfADirectorySaysItIsADirectory()
    {
        Assert.Contains($"--checkpoint '{_dir}' is a directory; expected a file.", OneLineError("eval", "--checkpoint", _dir));
    }
}
