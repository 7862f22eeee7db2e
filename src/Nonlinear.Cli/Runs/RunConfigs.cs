using System.Globalization;
using Nonlinear.Data;
using Nonlinear.Interpret.Sae;
using Nonlinear.Models;
using Nonlinear.Training;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// The settings a command actually ran with, for <see cref="CommandRun.Begin"/>: they replace the parsed options where
/// those do not tell the truth (a resumed `lm train` takes its model and options from the checkpoint, not the
/// command line). Keys as the checkpoints write them, plus the store's columns data, model, activation and seed.
/// </summary>
internal static class RunConfigs
{
    /// <summary>An `lm train` run: the architecture and options in force, the text and the parameter count.</summary>
    public static Dictionary<string, string> Lm(LanguageModelTrainer trainer, TextCorpus corpus)
    {
        var c = trainer.Model.Config;
        var o = trainer.Options;
        return new Dictionary<string, string>
        {
            ["data"] = corpus.Name,
            ["model"] = new ModelSpec(ModelKinds.Get("gpt"), [c.Layers, c.Width, c.Heads, c.Context]).ToString(),
            ["activation"] = c.Mlp.ToString(),
            ["mlp"] = c.Mlp.ToString(),
            ["hidden"] = Str(c.HiddenWidth),
            ["position"] = c.Position.ToString().ToLowerInvariant(),
            ["norm"] = c.Norm.ToString().ToLowerInvariant(),
            ["untied"] = c.TieWeights ? "false" : "true",
            ["dropout"] = Str(c.Dropout),
            ["attn_dropout"] = Str(c.AttentionDropout),
            ["steps"] = Str(o.Steps),
            ["batch"] = Str(o.BatchSize),
            ["lr"] = Str(o.LearningRate),
            ["warmup"] = Str(o.WarmupSteps),
            ["weight_decay"] = Str(o.WeightDecay),
            ["clip"] = Str(o.ClipNorm),
            ["eval_every"] = Str(o.EvalEvery),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["start_step"] = Str(trainer.Step),
            ["parameters"] = trainer.Model.ParameterCount.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>An `sae train` run: the data set (without the split: "digits", as train records it), the architecture as model, d_in.</summary>
    public static Dictionary<string, string> Sae(string trainSplitName, SaeTrainOptions options, int dIn) => new()
    {
        ["data"] = trainSplitName.EndsWith("/train", StringComparison.Ordinal) ? trainSplitName[..^"/train".Length] : trainSplitName,
        ["model"] = options.Architecture.Name,
        ["activation"] = "",
        ["d_in"] = Str(dIn),
    };

    private static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Str(float v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string Str(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
