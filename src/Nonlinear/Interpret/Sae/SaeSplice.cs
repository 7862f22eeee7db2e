using Nonlinear.Autodiff;
using Nonlinear.Data;
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

/// <summary>
/// Downstream loss recovered: splices an SAE into a classifier through a forward hook that returns a replacement
/// output for the layer, and compares the test cross-entropy and accuracy with zero and mean ablation.
/// </summary>
public static class SaeSplice
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="test"/> (a classification set) clean, spliced and ablated at <paramref name="layer"/>.</summary>
    /// <exception cref="InvalidInputException">The data set is not a classification set.</exception>
    public static SpliceResult Evaluate(Module model, Dataset test, string layer, SparseAutoencoder sae, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(sae);
        if (test.Labels is null) throw new InvalidInputException("the downstream loss needs a classification data set; this one is regression.");
        bool transcoder = sae.Config.IsTranscoder;
        var mean = MeanOutput(model, test, layer, batchSize);
        var clean = Run(model, test, batchSize);
        var spliced = Run(model, test, batchSize, layer, (x, y) =>
            sae.Forward((transcoder ? x : y).Contiguous().Reshape(y.Size(0), -1)).Reshape(y.Shape.ToArray()));
        var zero = Run(model, test, batchSize, layer, (x, y) => Tensor.ZerosLike(y));
        var meanAbl = Run(model, test, batchSize, layer, (x, y) =>
        {
            var rows = new float[y.Length];
            for (int r = 0; r < y.Size(0); r++) mean.CopyTo(rows, r * mean.Length);
            return Tensor.FromArray(rows, y.Shape.ToArray());
        });
        return new SpliceResult(clean, spliced, zero, meanAbl);
    }

    private static float[] MeanOutput(Module model, Dataset data, string layer, int batchSize)
    {
        var acts = SaeData.Capture(model, data, layer, batchSize: batchSize);
        int n = acts.Size(0), w = acts.Size(1);
        var s = acts.AsReadOnlySpan();
        var mean = new double[w];
        for (int r = 0; r < n; r++) for (int j = 0; j < w; j++) mean[j] += s[r * w + j];
        return [.. mean.Select(v => (float)(v / n))];
    }

    private static (double, double) Run(Module model, Dataset data, int batchSize, string? layer = null, Func<Tensor, Tensor, Tensor>? replace = null)
    {
        using var handle = layer is null ? null : model.Hook(layer, (m, x, y) => replace!(x, y));
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            var loader = new DataLoader(data, batchSize, shuffle: false, seed: 0);
            double loss = 0;
            long correct = 0;
            foreach (var batch in loader.Epoch(0))
            {
                var logits = model.Call(batch.Features);
                var y = batch.Labels;
                loss += (double)Loss.CrossEntropy(logits, y).Item() * y.Length;
                var l = logits.Contiguous().AsReadOnlySpan();
                int classes = logits.Size(1);
                for (int i = 0; i < y.Length; i++)
                {
                    var row = l.Slice(i * classes, classes);
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                    if (best == y[i]) correct++;
                }
            }
            return (loss / data.Count, (double)correct / data.Count);
        }
        finally
        {
            if (wasTraining) model.Train();
        }
    }
}
