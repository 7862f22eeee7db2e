using System.Globalization;
using Nonlinear.Cli.Commands;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Training;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// A sweep's trials: the cross product data × model × activation × seed, each a configuration with the same keys a
/// checkpoint records (so a trial's config, its checkpoint and its stored run agree), plus epochs.
/// </summary>
internal static class SweepTrials
{
    public const int MaxTrials = 100_000;

    /// <summary>All trials, validated now (a bad spec fails at `sweep create`, not in a worker hours later).</summary>
    public static List<IReadOnlyDictionary<string, string>> Expand(IReadOnlyList<string> data, IReadOnlyList<string> models, IReadOnlyList<ActivationSpec> activations,
                                                                  int seeds, IReadOnlyDictionary<string, string> shared)
    {
        var trials = new List<IReadOnlyDictionary<string, string>>();
        foreach (var d in data)
            foreach (var m in models)
            {
                var spec = UserError.AtBoundary("--models", () => ModelSpec.Parse(m));
                // A KAN kind takes no activation: one trial per seed, not one per activation with identical contents.
                IEnumerable<string> acts = spec.Kind.DefaultActivation is null ? [""] : activations.Select(a => a.ToString());
                foreach (var a in acts)
                    for (int s = 0; s < seeds; s++)
                    {
                        var cfg = new Dictionary<string, string>(shared)
                        {
                            ["data"] = d, ["model"] = spec.ToString(), ["activation"] = a, ["seed"] = s.ToString(CultureInfo.InvariantCulture),
                        };
                        ToSettings(cfg, threads: 1);
                        trials.Add(cfg);
                        if (trials.Count > MaxTrials) throw new InvalidInputException($"sweep create: more than {MaxTrials} trials; split the study.");
                    }
            }
        return trials;
    }

    /// <summary>The run a trial describes.</summary>
    public static RunSettings ToSettings(IReadOnlyDictionary<string, string> cfg, int threads)
    {
        string Get(string k) => cfg.TryGetValue(k, out var v) ? v : throw new InvalidDataException($"sweep trial: configuration lacks '{k}'.");
        var meta = new CheckpointMetadata(new Dictionary<string, string>(cfg), "sweep trial");
        var model = UserError.AtBoundary("--models", () => ModelSpec.Parse(Get("model"), Get("activation") is { Length: > 0 } a ? a : null));
        var options = new TrainOptions
        {
            Epochs = meta.Int("epochs", 1, TrainOptions.MaxEpochs), BatchSize = meta.Int("batch", 1, TrainOptions.MaxBatchSize),
            LearningRate = meta.Positive("lr"), Optimizer = meta.Optimizer("optimizer"), WeightDecay = meta.Float("weight_decay", 0, float.MaxValue),
            LabelSmoothing = meta.Float("label_smoothing", 0, 1, maxExclusive: true), Seed = meta.UInt64("seed"),
        };
        var settings = new RunSettings(Get("data"), cfg.TryGetValue("data_dir", out var dir) && dir.Length > 0 ? dir : null, model, threads, options)
        {
            Test = cfg.TryGetValue("test", out var t) && t.Length > 0 ? t : null,
        };
        settings.Validate();
        return settings;
    }
}
