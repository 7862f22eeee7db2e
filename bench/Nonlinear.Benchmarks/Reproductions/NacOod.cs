using System.Globalization;
using System.Text;
using Nonlinear.Data;
using Nonlinear.Interpret.Statistics;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Reproductions;

/// <summary>
/// Neuron activation coverage as an OOD score (Liu, Lochman and Zach, ICLR 2024): an MLP is trained on a data set,
/// NAC is fitted on its training inputs at each hidden activation, and the test inputs (in-distribution) are scored
/// against two out-of-distribution sets built from them: uniform noise over the pixel range, and the test images with
/// their pixels permuted (same marginals, no structure). Reports AUROC (in-distribution = positive, higher score =
/// more in-distribution) per layer and setting. `Nonlinear.Benchmarks.dll repro-nac [digits|fashion-mnist] [epochs]`.
/// </summary>
public static class NacOod
{
    /// <summary>Runs the table for <paramref name="data"/> (seed 0, mlp:256,256 relu, Adam 1e-3, batch 128).</summary>
    public static string Table(string data, int epochs, IReadOnlyList<NacOptions>? settings = null)
    {
        var (train, test) = DataSources.Load(data);
        var rng = new Rng(0);
        var model = ModelSpec.Parse("mlp:256,256", "relu").Build(train.FeatureCount, train.NumClasses, rng);
        var trainer = new Trainer(model, new TrainOptions { Epochs = epochs, Seed = 0 });
        trainer.Fit(train, test);
        var (loss, acc) = trainer.Evaluate(test);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{data}: mlp:256,256 relu, {epochs} epochs, test loss {loss:0.0000}, accuracy {acc:P2}; NAC fitted on {train.Count} training inputs, scored on {test.Count} test inputs");
        var noise = Noise(test, new Rng(1));
        var permuted = Permuted(test, new Rng(2));
        sb.AppendLine("| layer | bins | alpha | O | ID mean | noise mean | permuted mean | AUROC noise | AUROC permuted |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var layer in new[] { "1", "3" })
            foreach (var o in settings ?? [new NacOptions()])
            {
                var nac = NeuronActivationCoverage.Fit(model, train, layer, o);
                var id = nac.Score(model, test);
                var sn = nac.Score(model, noise);
                var sp = nac.Score(model, permuted);
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {layer} | {o.Bins} | {(o.Alpha is null ? $"auto {nac.Alpha:0.###}" : o.Alpha)} | {nac.MinCount} | {id.Average():0.0000} | {sn.Average():0.0000} | {sp.Average():0.0000} | {Auroc(id, sn):0.0000} | {Auroc(id, sp):0.0000} |");
            }
        return sb.ToString();
    }

    /// <summary>P(score of an in-distribution input &gt; score of an OOD input) + ½·P(equal) (Mann–Whitney).</summary>
    public static double Auroc(double[] inDist, double[] outDist)
    {
        var all = inDist.Select(v => (v, pos: true)).Concat(outDist.Select(v => (v, pos: false))).OrderBy(t => t.v).ToArray();
        double rankSum = 0;
        for (int i = 0; i < all.Length;)
        {
            int j = i;
            while (j < all.Length && all[j].v == all[i].v) j++;
            double rank = (i + j + 1) / 2.0;   // mean of the 1-based ranks i+1..j
            for (int t = i; t < j; t++) if (all[t].pos) rankSum += rank;
            i = j;
        }
        double n1 = inDist.Length, n0 = outDist.Length;
        return (rankSum - n1 * (n1 + 1) / 2) / (n1 * n0);
    }

    private static Dataset Noise(Dataset like, Rng rng)
    {
        float lo = like.Features.Min(), hi = like.Features.Max();
        var x = new float[like.Features.Length];
        for (int i = 0; i < x.Length; i++) x[i] = lo + (hi - lo) * (float)rng.NextDouble();
        return Dataset.Classification(x, like.Labels!, like.FeatureCount, like.NumClasses, "uniform noise");
    }

    private static Dataset Permuted(Dataset like, Rng rng)
    {
        int d = like.FeatureCount;
        var x = new float[like.Features.Length];
        var perm = Enumerable.Range(0, d).ToArray();
        for (int r = 0; r < like.Count; r++)
        {
            rng.Shuffle<int>(perm);
            for (int j = 0; j < d; j++) x[r * d + j] = like.Features[r * d + perm[j]];
        }
        return Dataset.Classification(x, like.Labels!, d, like.NumClasses, "permuted pixels");
    }
}
