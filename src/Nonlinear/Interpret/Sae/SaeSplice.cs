using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Sae;

/// <summary>Test loss and accuracy of a classifier with one layer's output replaced four ways.</summary>
/// <param name="Clean">The model as it is.</param>
/// <param name="Spliced">The layer's output replaced by the SAE reconstruction (a transcoder: by its prediction from the layer's input).</param>
/// <param name="ZeroAblated">The layer's output replaced by zeros.</param>
/// <param name="MeanAblated">The layer's output replaced by its mean over the set.</param>
public sealed record SpliceResult((double Loss, double Accuracy) Clean, (double Loss, double Accuracy) Spliced,
    (double Loss, double Accuracy) ZeroAblated, (double Loss, double Accuracy) MeanAblated)
{
    /// <summary>CE loss score against zero ablation: (L_zero − L_sae) / (L_zero − L_clean); 1 = no loss added.</summary>
    public double LossRecoveredVsZero => (ZeroAblated.Loss - Spliced.Loss) / (ZeroAblated.Loss - Clean.Loss);

    /// <summary>The same score against mean ablation: (L_mean − L_sae) / (L_mean − L_clean).</summary>
    public double LossRecoveredVsMean => (MeanAblated.Loss - Spliced.Loss) / (MeanAblated.Loss - Clean.Loss);
}

/// <summary>What the spliced model is scored on.</summary>
public enum SpliceScoring
{
    /// <summary>A classifier: logits [B, classes] against the batch's labels.</summary>
    Classification,

    /// <summary>
    /// A language model on windows of token ids [B, T] whose label is the token after the window: logits [B, T, V]
    /// against the next token at every position (the window shifted by one, then the label); the layer's stream is
    /// [B, T, D] and the SAE reads it token by token.
    /// </summary>
    NextToken,
}

/// <summary>
/// Downstream loss recovered: splices an SAE into a classifier or language model through a forward hook that returns a
/// replacement output for the layer, and compares the test cross-entropy and accuracy with zero and mean ablation.
/// </summary>
public static class SaeSplice
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="test"/> (a classification set) clean, spliced and ablated at <paramref name="layer"/>.</summary>
    /// <exception cref="InvalidInputException">The data set is not a classification set.</exception>
    public static SpliceResult Evaluate(Module model, Dataset test, string layer, SparseAutoencoder sae, int batchSize = 1000,
        SpliceScoring scoring = SpliceScoring.Classification)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(sae);
        if (test.Labels is null) throw new InvalidInputException("the downstream loss needs a classification data set; this one is regression.");
        if (!Enum.IsDefined(scoring)) throw new InvalidInputException($"splice scoring {(int)scoring} is not Classification or NextToken.", nameof(scoring));
        bool transcoder = sae.Config.IsTranscoder, tokens = scoring == SpliceScoring.NextToken;
        var mean = MeanOutput(model, test, layer, batchSize, tokens);
        var clean = Run(model, test, batchSize, scoring);
        // The SAE reads what the capture gave it: one row per input (feature maps flattened) or one row per token.
        Tensor Rows(Tensor t) => tokens ? t.Contiguous().Reshape(-1, t.Size(t.Rank - 1)) : t.Contiguous().Reshape(t.Size(0), -1);
        var spliced = Run(model, test, batchSize, scoring, layer, (x, y) => sae.Forward(Rows(transcoder ? x : y)).Reshape(y.Shape.ToArray()));
        var zero = Run(model, test, batchSize, scoring, layer, (x, y) => Tensor.ZerosLike(y));
        var meanAbl = Run(model, test, batchSize, scoring, layer, (x, y) =>
        {
            var rows = new float[y.Length];
            for (int r = 0; r < y.Length / mean.Length; r++) mean.CopyTo(rows, r * mean.Length);
            return Tensor.FromArray(rows, y.Shape.ToArray());
        });
        return new SpliceResult(clean, spliced, zero, meanAbl);
    }

    private static float[] MeanOutput(Module model, Dataset data, string layer, int batchSize, bool tokens)
    {
        var acts = SaeData.Capture(model, data, layer, batchSize: batchSize, layout: tokens ? SpatialLayout.TokensAsRows : SpatialLayout.Flatten);
        int n = acts.Size(0), w = acts.Size(1);
        var s = acts.AsReadOnlySpan();
        var mean = new double[w];
        for (int r = 0; r < n; r++) for (int j = 0; j < w; j++) mean[j] += s[r * w + j];
        return [.. mean.Select(v => (float)(v / n))];
    }

    private static (double, double) Run(Module model, Dataset data, int batchSize, SpliceScoring scoring, string? layer = null, Func<Tensor, Tensor, Tensor>? replace = null)
    {
        using var handle = layer is null ? null : model.Hook(layer, (m, x, y) => replace!(x, y));
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            var loader = new DataLoader(data, batchSize, shuffle: false, seed: 0);
            double loss = 0;
            long correct = 0, count = 0;
            foreach (var batch in loader.Epoch(0))
            {
                var logits = model.Call(batch.Features);
                var y = scoring == SpliceScoring.NextToken ? NextTokens(batch) : batch.Labels;
                int classes = logits.Size(logits.Rank - 1);
                var flat = logits.Contiguous().Reshape(-1, classes);
                if (flat.Size(0) != y.Length)
                    throw new InvalidInputException($"the model gives {flat.Size(0)} predictions per batch of {batch.Count}; {scoring} scoring needs {y.Length}.");
                loss += (double)Loss.CrossEntropy(flat, y).Item() * y.Length;
                var l = flat.AsReadOnlySpan();
                for (int i = 0; i < y.Length; i++)
                {
                    var row = l.Slice(i * classes, classes);
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                    if (best == y[i]) correct++;
                }
                count += y.Length;
            }
            return (loss / count, (double)correct / count);
        }
        finally
        {
            if (wasTraining) model.Train();
        }
    }

    // The next token at every position of each window: the window's own ids shifted by one, then its label.
    private static int[] NextTokens(Batch batch)
    {
        int b = batch.Count, t = batch.Features.Size(1);
        var ids = batch.Features.AsReadOnlySpan();
        var next = new int[b * t];
        for (int r = 0; r < b; r++)
        {
            for (int i = 0; i + 1 < t; i++) next[r * t + i] = (int)ids[r * t + i + 1];
            next[r * t + t - 1] = batch.Labels[r];
        }
        return next;
    }
}
