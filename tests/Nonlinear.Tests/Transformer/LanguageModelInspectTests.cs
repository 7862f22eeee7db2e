using System.Globalization;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Layers.Transformer;
using Nonlinear.Tensors;
using Nonlinear.Tests.Cli;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Layers.Transformer;

/// <summary>
/// `inspect` on a checkpoint of `lm train`: the residual stream and MLP activations are captured token by token, and
/// the printed max|a| of the residual stream equals a maximum taken here from the model's own hook, on the same
/// windows, without the capture code.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class LanguageModelInspectTests : IDisposable
{
    private readonly string _dir = CliHarness.TempDir("inspect-lm");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void InspectReportsTheResidualStreamTokenByToken()
    {
        string ckpt = Path.Combine(_dir, "lm.safetensors");
        var (code, _, err) = CliHarness.Run("lm", "train", "--text", "bundled", "--model", "gpt:1x16,heads=2,ctx=16", "--mlp", "relu",
            "--steps", "3", "--batch", "4", "--eval-every", "3", "--sample", "0", "--threads", "1", "--out", ckpt);
        Assert.True(code == 0, err);
        string outDir = Path.Combine(_dir, "out");
        (code, var output, err) = CliHarness.Run("inspect", ckpt, "--threads", "1", "--out", outDir);
        Assert.True(code == 0, err);
        var resid = output.Split('\n').Single(l => l.StartsWith("blocks.0.hook_resid_post ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("16", resid[1]);   // units = the width: one row per token, not T·D per window
        var mlp = output.Split('\n').Single(l => l.StartsWith("blocks.0.mlp.hook_post ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("64", mlp[1]);
        // units.csv: layer,unit,mean,variance,min,max,… — the layer's max|a| over its 16 units.
        var rows = File.ReadAllLines(Path.Combine(outDir, "units.csv")).Where(l => l.StartsWith("blocks.0.hook_resid_post,", StringComparison.Ordinal))
            .Select(l => l.Split(',')).ToList();
        Assert.Equal(16, rows.Count);
        double printed = rows.Max(r => Math.Max(Math.Abs(double.Parse(r[4], CultureInfo.InvariantCulture)), Math.Abs(double.Parse(r[5], CultureInfo.InvariantCulture))));

        // The same windows (the held-out end, consecutive, at most 256 of 16 tokens) through the model's hook.
        var loaded = LanguageModelCheckpoint.Load(ckpt);
        var model = LanguageModelCheckpoint.Model(loaded);
        var (_, validation) = TextCorpus.Load(loaded.TextSource).Split(loaded.Options.ValidationFraction);
        var ids = loaded.Tokenizer.Encode(validation);
        int n = Math.Min(256, (ids.Length - 1) / 16);
        float max = 0;
        using var handle = model.Blocks[0].RegisterForwardHook((_, _, y) =>
        {
            foreach (var v in y.AsReadOnlySpan()) max = Math.Max(max, Math.Abs(v));
            return null;
        });
        using (Nonlinear.Autodiff.Autograd.NoGrad()) model.Logits(ids[..(n * 16)], n, 16);
        Assert.True(max > 0);
        Assert.Equal((double)max, printed);   // the same float, whichever code found it
    }

    [Fact]
    public void CaptureWithTokensAsRowsGivesOneRowPerTokenWithTheStreamsValues()
    {
        var model = new DecoderTransformer(new TransformerConfig(10, 1, 8, 2, 5), new Rng(2));
        const int n = 3, T = 5;
        var ids = Enumerable.Range(0, n * T).Select(i => (i * 7) % 10).ToArray();
        var data = Dataset.Classification(ids.Select(i => (float)i).ToArray(), [0, 1, 2], T, 10);
        var captured = ActivationCapture.Collect(model, data, ["blocks.0.hook_resid_post"], new CaptureOptions(2, Layout: SpatialLayout.TokensAsRows));
        var m = captured.Layers[0];
        Assert.Equal(n * T, m.Rows);
        Assert.Equal(8, m.Units);
        Assert.Equal(T, m.RowsPerInput);
        model.Eval();
        Tensor direct;
        using (Nonlinear.Autodiff.Autograd.NoGrad())
        {
            Tensor? seen = null;
            using var handle = model.Blocks[0].RegisterForwardHook((_, _, y) => { seen = y; return null; });
            model.Logits(ids, n, T);
            direct = seen!;
        }
        Assert.Equal(new[] { n, T, 8 }, direct.Shape.ToArray());
        Assert.Equal(direct.ToArray(), m.Values);   // [B, T, D] row-major is [B·T, D]: the same bits in the same order
    }
}
