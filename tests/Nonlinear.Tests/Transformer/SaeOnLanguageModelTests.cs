using System.Globalization;
using Nonlinear.Data;
using Nonlinear.Tests.Cli;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Layers.Transformer;

/// <summary>
/// `sae train` and `sae eval` on a checkpoint of `lm train`: the SAE reads the residual stream one row per token, and
/// the clean next-token loss that eval prints beside the spliced one equals a cross-entropy computed here from the
/// model's logits on the same held-out windows, without the splice code.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class SaeOnLanguageModelTests : IDisposable
{
    private readonly string _dir = CliHarness.TempDir("sae-lm");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string TrainLm()
    {
        string ckpt = Path.Combine(_dir, "lm.safetensors");
        var (code, _, err) = CliHarness.Run("lm", "train", "--text", "bundled", "--model", "gpt:1x16,heads=2,ctx=16", "--mlp", "relu",
            "--steps", "3", "--batch", "4", "--eval-every", "3", "--sample", "0", "--threads", "1", "--store", "none", "--out", ckpt);
        Assert.True(code == 0, err);
        return ckpt;
    }

    [Fact]
    public void SaeTrainsOnTheResidualStreamAndEvalScoresTheNextToken()
    {
        string ckpt = TrainLm();
        string saeDir = Path.Combine(_dir, "sae");
        var (code, output, err) = CliHarness.Run("sae", "train", ckpt, "--layer", "blocks.0.hook_resid_post", "--arch", "topk", "--k", "4",
            "--expansion", "2", "--steps", "20", "--batch", "256", "--threads", "1", "--store", "none", "--out", saeDir);
        Assert.True(code == 0, err);

        var loaded = LanguageModelCheckpoint.Load(ckpt);
        var (train, validation) = TextCorpus.Load(loaded.TextSource).Split(loaded.Options.ValidationFraction);
        int Windows(string text) => Math.Min(256, (loaded.Tokenizer.Encode(text).Length - 1) / 16);
        // One row per token of every window, 16 features wide: the stream, not T·D per window.
        Assert.Contains($"captured {Windows(train) * 16} × 16 activations at 'blocks.0.hook_resid_post'", output);
        Assert.Contains("L0 4.00", output);

        (code, output, err) = CliHarness.Run("sae", "eval", saeDir, "--checkpoint", ckpt, "--threads", "1");
        Assert.True(code == 0, err);
        var line = output.Split('\n').Single(l => l.TrimStart().StartsWith("test loss / accuracy: clean ", StringComparison.Ordinal));
        double printed = double.Parse(line.Split("clean ")[1].Split(' ')[0], CultureInfo.InvariantCulture);

        // The reference: the held-out windows through the model, cross-entropy against the next character in double.
        var model = LanguageModelCheckpoint.Model(loaded);
        var ids = loaded.Tokenizer.Encode(validation);
        int n = Windows(validation), v = loaded.Tokenizer.VocabSize;
        float[] logits;
        using (Nonlinear.Autodiff.Autograd.NoGrad()) logits = model.Logits(ids[..(n * 16)], n, 16).ToArray();
        double sum = 0;
        for (int i = 0; i < n * 16; i++)
        {
            var row = logits.AsSpan(i * v, v);
            double max = double.NegativeInfinity;
            foreach (var z in row) max = Math.Max(max, z);
            double lse = 0;
            foreach (var z in row) lse += Math.Exp(z - max);
            sum += max + Math.Log(lse) - row[ids[i + 1]];
        }
        Assert.Equal(Math.Round(sum / (n * 16), 4), printed);
        Assert.Contains("loss recovered (CE loss score) vs zero ", output);
    }

    [Fact]
    public void LanguageModelCheckpointsRefuseImageAndDataOptions()
    {
        string ckpt = TrainLm();
        var (code, _, err) = CliHarness.Run("sae", "train", ckpt, "--layer", "blocks.0.hook_resid_post", "--data", "digits", "--steps", "2",
            "--threads", "1", "--store", "none", "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, code);
        Assert.Contains("--data: an SAE on a language-model checkpoint reads windows of the text it was trained on; got 'digits'", err);
    }
}
