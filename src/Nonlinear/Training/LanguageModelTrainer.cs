using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers.Transformer;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>
/// Trains a <see cref="DecoderTransformer"/> on next-character prediction: each step draws <c>BatchSize</c> windows of
/// T + 1 ids at uniform random offsets of the training part, minimises the mean cross-entropy of all B·T targets with
/// AdamW (two parameter groups: decay on rank ≥ 2, none on biases and norm weights), the scheduled learning rate and
/// gradient clipping. Validation reports bits per character on fixed windows of the held-out end of the text.
/// Everything that decides the next step (weights, moments, step, batch generator) is in <see cref="LanguageModelCheckpoint"/>.
/// </summary>
public sealed class LanguageModelTrainer
{
    private readonly int[] _valIds;
    private readonly int _valChars;
    // Every step and validation batch allocates the same activations and gradients: their arrays are reused (see TensorArena).
    private readonly TensorArena _arena = new();

    /// <summary>The model.</summary>
    public DecoderTransformer Model { get; }
    /// <summary>The tokenizer (characters of the training text plus byte fallback).</summary>
    public CharTokenizer Tokenizer { get; }
    /// <summary>The options.</summary>
    public LanguageModelOptions Options { get; }
    /// <summary>AdamW over matrices and embeddings (weight decay).</summary>
    public AdamW Decay { get; }
    /// <summary>AdamW over vectors: biases, norm weights (no weight decay).</summary>
    public AdamW NoDecay { get; }
    /// <summary>Draws the training windows.</summary>
    public Rng BatchRng { get; }
    /// <summary>Training ids.</summary>
    public int[] TrainIds { get; }
    /// <summary>Steps done.</summary>
    public int Step { get; internal set; }

    /// <summary>A fresh model for <paramref name="config"/> (its Vocab is replaced by the tokenizer's) on <paramref name="corpus"/>.</summary>
    /// <exception cref="InvalidInputException">Options or config out of range, or a text part shorter than one window.</exception>
    public LanguageModelTrainer(TransformerConfig config, TextCorpus corpus, LanguageModelOptions options, CharTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var (train, val) = corpus.Split(options.ValidationFraction);
        Tokenizer = tokenizer ?? CharTokenizer.FromText(train);
        TrainIds = Tokenizer.Encode(train);
        _valIds = Tokenizer.Encode(val);
        _valChars = val.EnumerateRunes().Count();
        int need = config.Context + 1;
        if (TrainIds.Length < need || _valIds.Length < need)
            throw new InvalidInputException($"--text '{corpus.Name}': the training part has {TrainIds.Length} tokens and the validation part {_valIds.Length}; each needs at least ctx + 1 = {need}.", "text");
        Model = new DecoderTransformer(config with { Vocab = Tokenizer.VocabSize }, new Rng(options.Seed), dropoutSeed: options.Seed * 7919);
        var ps = Model.NamedParameters().ToList();
        var betas = (options.Beta1, options.Beta2);
        Decay = new AdamW(ps.Where(p => p.Tensor.Rank >= 2).Select(p => p.Tensor), options.LearningRate, betas, 1e-8, options.WeightDecay);
        NoDecay = new AdamW(ps.Where(p => p.Tensor.Rank < 2).Select(p => p.Tensor), options.LearningRate, betas, 1e-8, 0);
        BatchRng = new Rng(options.Seed * 0x9E3779B97F4A7C15UL + 1);
    }

    /// <summary>One optimisation step; returns the batch's mean cross-entropy (nats per token).</summary>
    public float TrainStep()
    {
        int B = Options.BatchSize, T = Model.Config.Context;
        var (x, y) = Windows(TrainIds, B, T, BatchRng);
        Model.Train();
        Decay.ZeroGrad();
        NoDecay.ZeroGrad();
        float lossValue;
        using (_arena.Enter())
        {
            var loss = Loss.CrossEntropy(Ops.Reshape(Model.Logits(x, B, T), B * T, -1), y);
            loss.Backward();
            lossValue = loss.Item();
        }
        if (Options.ClipNorm > 0) GradClip.ClipGradNorm(Model.Parameters(), Options.ClipNorm);
        double lr = Options.LearningRateAt(Step);
        Decay.LearningRate = lr;
        NoDecay.LearningRate = lr;
        Decay.Step();
        NoDecay.Step();
        Step++;
        return lossValue;
    }

    /// <summary>
    /// Validation bits per character: the mean cross-entropy over <c>EvalBatches</c> batches of windows at fixed
    /// offsets (same every call), in bits, times tokens per character of the validation text (1 unless byte fallback
    /// split characters).
    /// </summary>
    public double ValidationBitsPerCharacter()
    {
        int B = Options.BatchSize, T = Model.Config.Context;
        var rng = new Rng(4321);
        double sum = 0;
        bool training = Model.IsTraining;
        Model.Eval();
        using (Autograd.NoGrad())
        {
            for (int i = 0; i < Options.EvalBatches; i++)
            {
                var (x, y) = Windows(_valIds, B, T, rng);
                using var scope = _arena.Enter();
                sum += Loss.CrossEntropy(Ops.Reshape(Model.Logits(x, B, T), B * T, -1), y).Item();
            }
        }
        Model.Train(training);
        return sum / Options.EvalBatches / Math.Log(2) * _valIds.Length / Math.Max(1, _valChars);
    }

    // B windows of T + 1 ids at uniform offsets: inputs ids[o … o+T−1], targets ids[o+1 … o+T].
    private static (int[] X, int[] Y) Windows(int[] ids, int batch, int time, Rng rng)
    {
        var x = new int[batch * time];
        var y = new int[batch * time];
        int range = ids.Length - time;
        for (int b = 0; b < batch; b++)
        {
            int o = rng.NextInt(range);
            Array.Copy(ids, o, x, b * time, time);
            Array.Copy(ids, o + 1, y, b * time, time);
        }
        return (x, y);
    }
}
