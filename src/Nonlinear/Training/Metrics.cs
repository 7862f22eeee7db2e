using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>Accuracy and loss of a classifier.</summary>
public static class Metrics
{
    /// <summary>How many rows of <paramref name="logits"/> [B, C] have their largest value at the label (first maximum wins).</summary>
    public static int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        var l = logits.Contiguous().AsSpan();
        int classes = logits.Size(1), correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = l.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return correct;
    }

    /// <summary>Mean cross-entropy and accuracy over <paramref name="data"/>, in eval mode and without gradients; the model's mode is restored.</summary>
    public static (double Loss, double Accuracy) Evaluate(Module model, Dataset data, int batchSize = 1000)
    {
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
                var (x, y) = (batch.Features, batch.Labels);
                var (logits, l) = model is IClassifierLoss own ? own.ScoresAndLoss(x, y, 0f) : (model.Call(x), null);
                loss += (double)(l ?? Loss.CrossEntropy(logits, y)).Item() * y.Length;
                correct += CountCorrect(logits, y);
            }
            return (loss / Math.Max(data.Count, 1), (double)correct / Math.Max(data.Count, 1));
        }
        finally
        {
            if (wasTraining) model.Train();
        }
    }
}
