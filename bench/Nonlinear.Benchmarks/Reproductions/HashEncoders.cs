using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Regions;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Reproductions;

/// <summary>
/// "Neural networks behave as hash encoders" (Lei et al. 2023, arXiv:2101.05490): the ReLU activation pattern of a
/// trained network assigns almost every training input its own linear region (determinism), and the binary codes are
/// categorised well by k-NN and logistic regression. Here: mlp relu nets of several widths and depths on Fashion-MNIST
/// (3 epochs, Adam 1e-3, batch 128, seed 0); codes = the sign pattern of every hidden ReLU, concatenated; regions counted
/// over the first 10,000 training images; 1-NN (Hamming) and logistic regression fitted on those 10,000 codes and scored
/// on the first 2,000 test images (subsets because 1-NN over 60,000 × 10,000 codes is too slow on a shared machine).
/// `Nonlinear.Benchmarks.dll repro-hash-encoders [epochs] [mlp:64;mlp:256;…]`.
/// </summary>
public static class HashEncoders
{
    /// <summary>Default models: two widths at depth 1 and 2.</summary>
    public static readonly string[] Default = ["mlp:64", "mlp:256", "mlp:64,64", "mlp:256,256"];

    /// <summary>Runs the table.</summary>
    public static string Table(int epochs, IReadOnlyList<string> models)
    {
        var (train, test) = DataSources.Load("fashion-mnist");
        var fit = train.Subset(Enumerable.Range(0, 10_000).ToArray());
        var score = test.Subset(Enumerable.Range(0, 2_000).ToArray());
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"fashion-mnist, {epochs} epochs, Adam 1e-3, batch 128, seed 0; regions over 10,000 training images; 1-NN and logistic on codes scored on 2,000 test images");
        sb.AppendLine("| model | code bits | net test acc | distinct patterns | regions with ≤ 1 input | 1-NN acc on codes | logistic acc on codes | s |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var spec in models)
        {
            var watch = Stopwatch.StartNew();
            var model = ModelSpec.Parse(spec, "relu").Build(train.FeatureCount, train.NumClasses, new Rng(0));
            var trainer = new Trainer(model, new TrainOptions { Epochs = epochs, Seed = 0 });
            trainer.Fit(train, test);
            var (_, acc) = trainer.Evaluate(score);
            int hidden = spec.Split(':')[1].Split(',').Length;
            var names = Enumerable.Range(0, hidden).Select(i => (2 * i + 1).ToString(CultureInfo.InvariantCulture)).ToArray();
            var trainCodes = ActivationCodes.From(ActivationCapture.Collect(model, fit, names).Layers);
            var testCodes = ActivationCodes.From(ActivationCapture.Collect(model, score, names).Layers);
            var h = HashEncoding.Measure(trainCodes, fit.Labels!, testCodes, score.Labels!, train.NumClasses);
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {spec} | {trainCodes.Bits} | {acc:P1} | {h.DistinctPatterns} | {h.SingletonRegionFraction:0.0000} | {h.KnnAccuracy:P1} | {h.LogisticAccuracy:P1} | {watch.Elapsed.TotalSeconds:0} |");
            Console.Error.WriteLine(sb.ToString().Split('\n')[^2]);
        }
        return sb.ToString();
    }
}
