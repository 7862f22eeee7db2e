using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Reproductions;

/// <summary>
/// The lazy neuron phenomenon (Li et al. 2023, "The Lazy Neuron Phenomenon: On Emergence of Activation Sparsity in
/// Transformers", arXiv:2210.06313): after training, few ReLU units are non-zero on a given input; the fraction of
/// non-zero activations falls as the width grows, and sparsity emerges with random labels too. Here: mlp:W,W relu on
/// Fashion-MNIST (Adam 1e-3, batch 128, seed 0), W = 64…1024, trained on the true labels and on labels permuted once
/// (seed 7); the fraction of non-zero entries of each hidden ReLU's output, averaged over units and the 10,000 test
/// images (and, for random labels, also the training images the net memorises), next to the value at initialisation.
/// `Nonlinear.Benchmarks.dll repro-lazy-neurons [epochs] [widths]`.
/// </summary>
public static class LazyNeurons
{
    /// <summary>Runs the table.</summary>
    public static string Table(int epochs, IReadOnlyList<int> widths)
    {
        var (train, test) = DataSources.Load("fashion-mnist");
        var shuffled = train.Labels!.ToArray();
        new Rng(7).Shuffle<int>(shuffled);
        var randomTrain = Dataset.Classification(train.Features, shuffled, train.FeatureCount, train.NumClasses, "fashion-mnist/random-labels");
        var probe = train.Subset(Enumerable.Range(0, 10_000).ToArray());
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"fashion-mnist mlp:W,W relu, {epochs} epochs, Adam 1e-3, batch 128, seed 0; non-zero fraction of the hidden ReLU outputs (layers 1 and 3)");
        sb.AppendLine("| width | labels | train acc | test acc | init: nonzero L1 / L3 (test) | trained: nonzero L1 / L3 (test) | trained: nonzero L1 / L3 (first 10k train) | s |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (int w in widths)
            foreach (bool random in new[] { false, true })
            {
                var watch = Stopwatch.StartNew();
                var model = ModelSpec.Parse($"mlp:{w},{w}", "relu").Build(train.FeatureCount, train.NumClasses, new Rng(0));
                var (i1, i3) = NonZero(model, test);
                var trainer = new Trainer(model, new TrainOptions { Epochs = epochs, Seed = 0 });
                trainer.Fit(random ? randomTrain : train, test);
                var (_, trainAcc) = trainer.Evaluate(random ? randomTrain.Subset(Enumerable.Range(0, 10_000).ToArray()) : probe);
                var (_, testAcc) = trainer.Evaluate(test);
                var (t1, t3) = NonZero(model, test);
                var (r1, r3) = NonZero(model, probe);
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {w} | {(random ? "random" : "true")} | {trainAcc:P1} | {testAcc:P1} | {i1:0.000} / {i3:0.000} | {t1:0.000} / {t3:0.000} | {r1:0.000} / {r3:0.000} | {watch.Elapsed.TotalSeconds:0} |");
                Console.Error.WriteLine(sb.ToString().Split('\n')[^2]);
            }
        return sb.ToString();
    }

    /// <summary>Fraction of non-zero entries of the outputs of modules "1" and "3" (the two hidden ReLUs) over <paramref name="data"/>.</summary>
    internal static (double Layer1, double Layer3) NonZero(Nonlinear.Layers.Module model, Dataset data)
    {
        var acts = ActivationCapture.Collect(model, data, ["1", "3"]);
        return (Fraction(acts["1"]), Fraction(acts["3"]));
    }

    private static double Fraction(ActivationMatrix m)
    {
        long nz = 0;
        foreach (var v in m.Values) if (v != 0) nz++;
        return (double)nz / m.Values.Length;
    }
}
