using System.Globalization;
using Nonlinear.Data;
using Nonlinear.IO;
using Nonlinear.Layers.Transformer;
using Nonlinear.Models;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>
/// Saves and restores a <see cref="LanguageModelTrainer"/> as safetensors: "model.*" weights, "optim.decay.*" and
/// "optim.nodecay.*" AdamW moments, and in the metadata the architecture (model spec, MLP, positions, norm, tying),
/// the tokenizer's characters, the step, the options and the states of the batch and dropout generators, so a resumed
/// run draws the same batches and masks and takes the same steps as an uninterrupted one.
/// </summary>
public static class LanguageModelCheckpoint
{
    /// <summary>Format tag stored in the metadata.</summary>
    public const string Format = "nonlinear-lm/1";

    /// <summary>Writes the trainer's state to <paramref name="path"/> (atomically).</summary>
    public static void Save(string path, LanguageModelTrainer trainer, string textSource)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (k, v) in trainer.Model.StateDict()) tensors["model." + k] = v;
        var c = trainer.Model.Config;
        var o = trainer.Options;
        var meta = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["model"] = new ModelSpec(ModelKinds.Get("gpt"), [c.Layers, c.Width, c.Heads, c.Context]).ToString(),
            ["mlp"] = c.Mlp.ToString(),
            ["hidden"] = Str(c.HiddenWidth),
            ["position"] = c.Position.ToString(),
            ["norm"] = c.Norm.ToString(),
            ["tied"] = c.TieWeights ? "true" : "false",
            ["dropout"] = c.Dropout.ToString("R", CultureInfo.InvariantCulture),
            ["attn_dropout"] = c.AttentionDropout.ToString("R", CultureInfo.InvariantCulture),
            ["tokenizer.chars"] = trainer.Tokenizer.Characters,
            ["text"] = textSource,
            ["step"] = Str(trainer.Step),
            ["steps"] = Str(o.Steps),
            ["batch"] = Str(o.BatchSize),
            ["lr"] = o.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["warmup"] = Str(o.WarmupSteps),
            ["min_lr_fraction"] = o.MinLearningRateFraction.ToString("R", CultureInfo.InvariantCulture),
            ["weight_decay"] = o.WeightDecay.ToString("R", CultureInfo.InvariantCulture),
            ["beta1"] = o.Beta1.ToString("R", CultureInfo.InvariantCulture),
            ["beta2"] = o.Beta2.ToString("R", CultureInfo.InvariantCulture),
            ["clip"] = o.ClipNorm.ToString("R", CultureInfo.InvariantCulture),
            ["val_fraction"] = o.ValidationFraction.ToString("R", CultureInfo.InvariantCulture),
            ["eval_every"] = Str(o.EvalEvery),
            ["eval_batches"] = Str(o.EvalBatches),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["batch_rng"] = string.Join(",", trainer.BatchRng.GetState().Select(s => s.ToString(CultureInfo.InvariantCulture))),
        };
        foreach (var (name, rng) in DropoutGenerators(trainer.Model)) meta["rng." + name] = string.Join(",", rng.GetState().Select(v => v.ToString(CultureInfo.InvariantCulture)));
        AddOptimizer(tensors, meta, "decay", trainer.Decay);
        AddOptimizer(tensors, meta, "nodecay", trainer.NoDecay);
        SafeTensors.Save(path, tensors, meta);
    }

    private static string Str(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static void AddOptimizer(Dictionary<string, Tensor> tensors, Dictionary<string, string> meta, string name, Optimizer opt)
    {
        var state = opt.StateDict();
        foreach (var (k, v) in state.Tensors) tensors[$"optim.{name}.{k}"] = Tensor.FromArray(v, v.Length);
        foreach (var (k, v) in state.Scalars) meta[$"optim.{name}.{k}"] = v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A loaded checkpoint: the architecture, tokenizer, options and raw state.</summary>
    public sealed record Loaded(TransformerConfig Config, CharTokenizer Tokenizer, LanguageModelOptions Options, string TextSource,
        Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata, string Path);

    /// <summary>Reads a checkpoint written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">Not a language-model checkpoint, or a corrupt value (named).</exception>
    public static Loaded Load(string path)
    {
        var (tensors, meta) = SafeTensors.Load(path);
        if (!meta.TryGetValue("format", out var f) || f != Format)
            throw new InvalidDataException($"{path}: not a Nonlinear language-model checkpoint (metadata 'format' is '{f ?? "missing"}'; expected '{Format}').");
        return FromContents(tensors, meta, path);
    }

    /// <summary>
    /// A checkpoint from tensors and metadata already read (a file whose own format tag wraps these keys, e.g. an int8
    /// language model); the "format" key is not checked here.
    /// </summary>
    /// <exception cref="InvalidDataException">A missing or corrupt value (named).</exception>
    public static Loaded FromContents(Dictionary<string, Tensor> tensors, Dictionary<string, string> meta, string path)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(meta);
        var m = new CheckpointMetadata(meta, path);
        try
        {
            var spec = ModelSpec.Parse(m.String("model"));
            var tokenizer = CharTokenizer.FromCharacters(m.String("tokenizer.chars"));
            var config = GptKind.Config(spec, tokenizer.VocabSize, MlpSpec.Parse(m.String("mlp"))) with
            {
                Hidden = m.Int("hidden", 1, 1 << 16),
                Position = Enum.Parse<PositionEncoding>(m.String("position")),
                Norm = Enum.Parse<NormKind>(m.String("norm")),
                TieWeights = m.String("tied") == "true",
                Dropout = m.Float("dropout", 0f, 1f, maxExclusive: true),
                AttentionDropout = m.Float("attn_dropout", 0f, 1f, maxExclusive: true),
            };
            config.Validate();
            var options = new LanguageModelOptions
            {
                Steps = m.Int("steps", 1, 10_000_000),
                BatchSize = m.Int("batch", 1, 4096),
                LearningRate = Double(m, "lr"),
                WarmupSteps = m.Int("warmup", 0, 10_000_000),
                MinLearningRateFraction = Double(m, "min_lr_fraction"),
                WeightDecay = Double(m, "weight_decay"),
                Beta1 = Double(m, "beta1"),
                Beta2 = Double(m, "beta2"),
                ClipNorm = Double(m, "clip"),
                ValidationFraction = Double(m, "val_fraction"),
                EvalEvery = m.Int("eval_every", 1, int.MaxValue),
                EvalBatches = m.Int("eval_batches", 1, 1000),
                Seed = m.UInt64("seed"),
            };
            options.Validate();
            return new Loaded(config, tokenizer, options, m.String("text"), tensors, meta, path);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path}: corrupt language-model checkpoint: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static double Double(CheckpointMetadata m, string key)
    {
        if (!double.TryParse(m.String(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw m.Corrupt(key, "is not a finite number");
        return v;
    }

    /// <summary>The model of a loaded checkpoint with its weights, in evaluation mode.</summary>
    public static DecoderTransformer Model(Loaded loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var model = new DecoderTransformer(loaded.Config, new Rng(0));
        LoadModel(model, loaded);
        model.Eval();
        return model;
    }

    private static void LoadModel(DecoderTransformer model, Loaded loaded)
    {
        var weights = loaded.Tensors.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value);
        try { model.LoadStateDict(weights); }
        catch (ArgumentException e) { throw new InvalidDataException($"{loaded.Path}: corrupt language-model checkpoint: {e.Message.ReplaceLineEndings(" ")}", e); }
    }

    /// <summary>Restores weights, optimisers, step and batch generator into <paramref name="trainer"/> (built from the same loaded config, tokenizer and options).</summary>
    /// <exception cref="InvalidDataException">The state does not fit.</exception>
    public static void Resume(LanguageModelTrainer trainer, Loaded loaded)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(loaded);
        var m = new CheckpointMetadata(loaded.Metadata, loaded.Path);
        LoadModel(trainer.Model, loaded);
        try
        {
            trainer.Decay.LoadStateDict(OptimizerStateOf(loaded, "decay"));
            trainer.NoDecay.LoadStateDict(OptimizerStateOf(loaded, "nodecay"));
        }
        catch (ArgumentException e) { throw new InvalidDataException($"{loaded.Path}: corrupt language-model checkpoint: {e.Message.ReplaceLineEndings(" ")}", e); }
        trainer.Step = m.Int("step", 0, trainer.Options.Steps);
        trainer.BatchRng.SetState(ReadState(m, "batch_rng"));
        foreach (var (name, rng) in DropoutGenerators(trainer.Model)) rng.SetState(ReadState(m, "rng." + name));
    }

    // Every generator of dropout masks, by module name: with dropout on, an exact resume needs their positions too.
    private static IEnumerable<(string Name, Rng Rng)> DropoutGenerators(DecoderTransformer model)
    {
        foreach (var (name, module) in model.NamedModules())
        {
            if (module is Layers.Dropout d) yield return (name, d.Rng);
            else if (module is CausalSelfAttention a) yield return (name, a.DropoutRng);
        }
    }

    private static ulong[] ReadState(CheckpointMetadata m, string key)
    {
        var parts = m.String(key).Split(',');
        var state = new ulong[parts.Length];
        if (parts.Length != 4 || !parts.Select((p, i) => ulong.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out state[i])).All(ok => ok))
            throw m.Corrupt(key, "is not four unsigned integers");
        return state;
    }

    private static OptimizerState OptimizerStateOf(Loaded loaded, string name)
    {
        string prefix = $"optim.{name}.";
        var t = new OrderedDictionary<string, float[]>();
        foreach (var (k, v) in loaded.Tensors)
            if (k.StartsWith(prefix, StringComparison.Ordinal)) t[k[prefix.Length..]] = v.ToArray();
        var s = new OrderedDictionary<string, double>();
        foreach (var (k, v) in loaded.Metadata)
            if (k.StartsWith(prefix, StringComparison.Ordinal)) s[k[prefix.Length..]] = double.Parse(v, CultureInfo.InvariantCulture);
        return new OptimizerState(t, s);
    }
}
