using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nonlinear.Data;
using Nonlinear.Interpret.Sae;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Reproductions;

/// <summary>
/// L0 versus FVU of the SAE architectures on a real model (Gao et al. 2024; Rajamanoharan et al. 2024; Bussmann et al.
/// 2024 claim TopK, BatchTopK and JumpReLU reach a lower FVU than ReLU-L1 at equal L0), with the downstream CE loss
/// score and the linearly predictable share of the SAE error ("dark matter", Engels et al. 2024), on the first
/// hidden ReLU (layer "1") of a Fashion-MNIST mlp:256,256 (seed 0, 5 epochs, Adam 1e-3, batch 128). Every SAE:
/// expansion 4 (d_sae 1024), batch 1024, the given steps, lr 1e-3, seed 0, other options at their defaults; metrics on
/// the 10,000 test images. `Nonlinear.Benchmarks.dll repro-sae-pareto [steps]`.
/// </summary>
public static class SaePareto
{
    /// <summary>Architecture and sparsity settings: k for topk/batchtopk, λ for standard (L1) and jumprelu (L0).</summary>
    public static readonly (string Arch, double Setting)[] Settings =
    [
        ("standard", 1), ("standard", 5), ("standard", 20),
        ("topk", 8), ("topk", 16), ("topk", 32),
        ("batchtopk", 8), ("batchtopk", 16), ("batchtopk", 32),
        ("jumprelu", 0.1), ("jumprelu", 0.3), ("jumprelu", 1),
    ];

    /// <summary>Trains the model and every SAE; returns the markdown table.</summary>
    public static string Table(int steps)
    {
        var (train, test) = DataSources.Load("fashion-mnist");
        var model = ModelSpec.Parse("mlp:256,256", "relu").Build(train.FeatureCount, train.NumClasses, new Rng(0));
        var trainer = new Trainer(model, new TrainOptions { Epochs = 5, Seed = 0 });
        trainer.Fit(train, test);
        var (loss, acc) = trainer.Evaluate(test);
        const string layer = "1";
        var x = SaeData.Capture(model, train, layer);
        var xt = SaeData.Capture(model, test, layer);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"fashion-mnist mlp:256,256 relu: test loss {loss:0.0000}, accuracy {acc:P2}; SAEs on layer {layer} ({x.Size(0)} × {x.Size(1)}), {steps} steps each");
        sb.AppendLine("| arch | k or λ | L0 | FVU | dead % | CE loss score (vs zero / mean abl.) | test acc with SAE | error var. linearly predictable | s |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (arch, setting) in Settings)
        {
            var a = SaeArchitecture.Parse(arch);
            var options = new SaeTrainOptions
            {
                Architecture = a, Expansion = 4, BatchSize = 1024, Steps = steps, LearningRate = 1e-3, Seed = 0,
                K = a.UsesK ? (int)setting : 32,
                SparsityCoefficient = a.UsesK ? null : setting,
            };
            var watch = Stopwatch.StartNew();
            var sae = SaeTrainer.Train(x, options);
            double seconds = watch.Elapsed.TotalSeconds;
            var ev = SaeMetrics.Evaluate(sae, xt);
            var splice = SaeSplice.Evaluate(model, test, layer, sae);
            var share = SaeErrorAnalysis.Analyze(sae, xt);
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {arch} | {setting} | {ev.L0:0.0} | {ev.Fvu:0.0000} | {100 * ev.DeadFraction:0.0} | {splice.LossRecoveredVsZero:0.0000} / {splice.LossRecoveredVsMean:0.0000} | {splice.Spliced.Accuracy:P2} | {share.VarianceShare:P1} | {seconds:0} |");
            Console.Error.WriteLine(sb.ToString().Split('\n')[^2]);
        }
        return sb.ToString();
    }
}
