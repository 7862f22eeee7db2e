using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>
/// How sparse hidden representations are: for each hidden layer and class, the mean over that class's samples of the
/// fraction of units with activity &gt; 0 (Tosato et al. 2023, "Emergent representations in networks trained with the
/// Forward-Forward algorithm", report FF ensembles as very sparse and category-specific).
/// </summary>
public static class RepresentationSparsity
{
    /// <summary>
    /// Fractions [layer][class] for <paramref name="model"/>: a <see cref="ForwardForwardNet"/> (activities with each
    /// sample's true label embedded — the positive data FF shapes) or a <see cref="Sequential"/> MLP (the output of
    /// every activation block); null for other models.
    /// </summary>
    public static double[][]? ByClass(Module model, Dataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Labels is null || data.Count == 0) return null;
        Func<Tensor, int[], IReadOnlyList<Tensor>>? layers = model switch
        {
            ForwardForwardNet ff => (x, y) => ff.Activities(ff.EmbedLabels(x, y)),
            Sequential seq when seq.Count > 0 && seq[0] is Linear => (x, _) => MlpActivities(seq, x),
            _ => null,
        };
        if (layers is null) return null;
        double[][]? sums = null;
        var counts = new long[data.NumClasses];
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Autograd.NoGrad();
            foreach (var batch in new DataLoader(data, batchSize, shuffle: false, seed: 0).Epoch(0))
            {
                var acts = layers(batch.Features, batch.Labels);
                sums ??= acts.Select(_ => new double[data.NumClasses]).ToArray();
                for (int l = 0; l < acts.Count; l++)
                {
                    var a = acts[l].Contiguous().AsReadOnlySpan();
                    int width = acts[l].Size(1);
                    for (int b = 0; b < batch.Count; b++)
                    {
                        int active = 0;
                        foreach (float v in a.Slice(b * width, width)) if (v > 0) active++;
                        sums[l][batch.Labels[b]] += (double)active / width;
                    }
                }
                foreach (int y in batch.Labels) counts[y]++;
            }
        }
        finally { if (wasTraining) model.Train(); }
        return sums?.Select(s => s.Select((v, c) => counts[c] == 0 ? double.NaN : v / counts[c]).ToArray()).ToArray();
    }

    private static List<Tensor> MlpActivities(Sequential seq, Tensor x)
    {
        var outs = new List<Tensor>();
        var h = x;
        for (int i = 0; i < seq.Count - 1; i++)
        {
            h = seq[i].Call(h);
            // The output of a block is the last module before the next Linear.
            if (seq[i] is not Linear && seq[i + 1] is Linear) outs.Add(h);
        }
        return outs;
    }
}
