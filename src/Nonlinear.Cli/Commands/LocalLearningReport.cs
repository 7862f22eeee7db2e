using System.Diagnostics;
using Nonlinear.Cli.Plotting;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.LocalLearning;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>What `train --learning` prints and draws beyond the usual epoch lines: the rule, Krotov–Hopfield's unsupervised phase, sparsity, filters.</summary>
internal static class LocalLearningReport
{
    /// <summary>One line on what the mode does.</summary>
    public static string Describe(LearningSpec spec, ulong seed) => spec.Mode switch
    {
        LearningMode.FeedbackAlignment or LearningMode.DirectFeedbackAlignment => $"fixed random feedback matrices, seed {seed}",
        LearningMode.ForwardForward => "layer-local losses on positive (true label) and negative (random wrong label) data; train accuracy is the softmax read-out's, test accuracy " +
                                       (spec.ForwardForward.Prediction == ForwardForwardPrediction.Goodness ? "the goodness classifier's" : "the read-out's"),
        LearningMode.HebbianKrotov => $"{spec.Krotov.Epochs} unsupervised epoch(s) of the p-norm rule, then --epochs of the read-out on frozen hidden units",
        _ => "backpropagation",
    };

    /// <summary>Runs the unsupervised phase with a progress bar, then prints one line per epoch (p-norms of the synapses).</summary>
    public static void FitSynapses(KrotovHopfieldNet net, Dataset train, ulong seed)
    {
        var o = net.Options;
        int perEpoch = KrotovHopfield.BatchesPerEpoch(train.Count, o);
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        ProgressView.RunSteps("hebbian-krotov", o.Epochs * perEpoch, done =>
        {
            net.FitSynapses(train, seed, (epoch, batch, batches) =>
            {
                done(epoch * batches + batch);
                if (batch == batches) lines.Add($"hebbian-krotov epoch {epoch + 1,3}/{o.Epochs}  {Norms(net, o.P)}  {clock.Elapsed.TotalSeconds,7:0.0}s");
            });
            return 0;
        });
        foreach (var line in lines) Console.WriteLine(line);
        Console.WriteLine($"hidden-unit scale β = {net.Scale.AsReadOnlySpan()[0]:G4} (mean largest relu current on the training data → 1)");
    }

    private static string Norms(KrotovHopfieldNet net, double p)
    {
        var norms = KrotovHopfield.RowNorms(net.Synapses, p);
        Array.Sort(norms);
        int near = norms.Count(n => Math.Abs(n - 1) <= 0.05);
        return $"‖W‖_p median {norms[norms.Length / 2]:0.000} (min {norms[0]:0.000}, max {norms[^1]:0.000}), {near * 100.0 / norms.Length:0.0}% of units within 5% of 1";
    }

    /// <summary>Forward-forward's two classifiers on the test set, and the hidden layers' activity per class.</summary>
    public static void Summarise(Module model, Dataset test)
    {
        if (model is ForwardForwardNet ff)
        {
            var mode = ff.Options.Prediction;
            double goodness = Accuracy(test, ff.GoodnessPerLabel), softmax = Accuracy(test, ff.ReadoutLogits);
            Console.WriteLine($"forward-forward test accuracy: goodness (layers {ff.FirstScoredLayer + 1}–{ff.LayerCount}) {goodness:P2}, softmax read-out {softmax:P2} (the net predicts by {mode.ToString().ToLowerInvariant()})");
        }
        if (RepresentationSparsity.ByClass(model, test) is not { } fractions) return;
        for (int l = 0; l < fractions.Length; l++)
        {
            var f = fractions[l].Where(double.IsFinite).ToArray();
            if (f.Length == 0) continue;
            Console.WriteLine($"hidden layer {l + 1}: {f.Average():P1} of units active per test sample (per class {f.Min():P1}–{f.Max():P1})");
        }
    }

    private static double Accuracy(Dataset data, Func<Nonlinear.Tensors.Tensor, Nonlinear.Tensors.Tensor> predict)
    {
        using var _ = Nonlinear.Autodiff.Autograd.NoGrad();
        long correct = 0;
        foreach (var batch in new DataLoader(data, 1000, shuffle: false, seed: 0).Epoch(0)) correct += Metrics.CountCorrect(predict(batch.Features), batch.Labels);
        return (double)correct / Math.Max(data.Count, 1);
    }

    /// <summary>The first layer's weights as an image grid.</summary>
    public static void WriteFilters(Module model, string path, LearningSpec spec)
    {
        var (weights, what) = model switch
        {
            KrotovHopfieldNet kh => (kh.Synapses, "synapses"),
            ForwardForwardNet ff => (ff.Layer(0).Weight, "layer 1 weights (the first 10 pixels see the label)"),
            Sequential { Count: > 0 } seq when seq[0] is Linear l => (l.Weight, "layer 1 weights"),
            _ => throw new InvalidInputException($"--filters draws the first Linear layer's weights; the model is a {model.GetType().Name}."),
        };
        int units = weights.Size(0), inputs = weights.Size(1);
        FilterGrid.Write(path, weights.Contiguous().AsReadOnlySpan(), units, inputs, $"{spec}: {what}, {Math.Min(units, FilterGrid.MaxTiles)} of {units} units");
        Console.WriteLine($"wrote {path}");
    }
}
