using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Probes;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Reproductions;

/// <summary>
/// Activation choice versus interpretability on one MLP: for each activation, mlp:256,256 on Fashion-MNIST (Adam 1e-3,
/// batch 128, seed 0) and, at each hidden activation ("1", "3") over the 10,000 test images: the fraction of units
/// never positive (dead), the fraction of entries that are positive (the share of the code the next layer sees as
/// "on"; 1 − this is the lazy fraction), the fraction with |a| ≤ 0.01 (near zero), and a linear probe's test accuracy
/// (multinomial logistic regression, L2 1e-3, 100 L-BFGS iterations, fitted on the first 10,000 training images).
/// The claims compared against (Li et al. 2023 for ReLU laziness; Elhage et al. 2022's SoLU argument that smoother or
/// saturating units spread features) are qualitative. `Nonlinear.Benchmarks.dll repro-activation-interp [epochs] [activations]`.
/// </summary>
public static class ActivationInterpretability
{
    /// <summary>Default activations: four fixed units and one learnable one (PReLU).</summary>
    public static readonly string[] Default = ["relu", "gelu", "silu", "tanh", "prelu"];

    /// <summary>Runs the table.</summary>
    public static string Table(int epochs, IReadOnlyList<string> activations)
    {
        var (train, test) = DataSources.Load("fashion-mnist");
        var fit = train.Subset(Enumerable.Range(0, 10_000).ToArray());
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"fashion-mnist mlp:256,256, {epochs} epochs, Adam 1e-3, batch 128, seed 0; statistics on the 10,000 test images");
        sb.AppendLine("| activation | test acc | layer | dead (never > 0) | entries > 0 | entries with abs ≤ 0.01 | probe test acc | s |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var act in activations)
        {
            var watch = Stopwatch.StartNew();
            var model = ModelSpec.Parse("mlp:256,256", act).Build(train.FeatureCount, train.NumClasses, new Rng(0));
            var trainer = new Trainer(model, new TrainOptions { Epochs = epochs, Seed = 0 });
            trainer.Fit(train, test);
            var (_, acc) = trainer.Evaluate(test);
            var onTest = ActivationCapture.Collect(model, test, ["1", "3"]);
            var onFit = ActivationCapture.Collect(model, fit, ["1", "3"]);
            foreach (var layer in new[] { "1", "3" })
            {
                var m = onTest[layer];
                var (dead, positive, nearZero) = Counts(m);
                var probe = LinearProbe.Fit(onFit[layer].Values, m.Units, fit.Labels!, train.NumClasses);
                double probeAcc = probe.Accuracy(m.Values, test.Labels!);
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {act} | {acc:P1} | {layer} | {dead:0.000} | {positive:0.000} | {nearZero:0.000} | {probeAcc:P1} | {watch.Elapsed.TotalSeconds:0} |");
            }
            Console.Error.WriteLine(string.Join('\n', sb.ToString().Split('\n')[^3..^1]));
        }
        return sb.ToString();
    }

    private static (double Dead, double Positive, double NearZero) Counts(ActivationMatrix m)
    {
        var everPositive = new bool[m.Units];
        long positive = 0, near = 0;
        for (int r = 0; r < m.Rows; r++)
            for (int u = 0; u < m.Units; u++)
            {
                float v = m.Values[r * m.Units + u];
                if (v > 0) { positive++; everPositive[u] = true; }
                if (Math.Abs(v) <= 0.01f) near++;
            }
        double total = (double)m.Rows * m.Units;
        return ((double)everPositive.Count(e => !e) / m.Units, positive / total, near / total);
    }
}
