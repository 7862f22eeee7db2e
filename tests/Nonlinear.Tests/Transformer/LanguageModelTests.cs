using Nonlinear.Data;
using Nonlinear.Layers.Transformer;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Xunit;

namespace Nonlinear.Tests.Transformer;

/// <summary>Tokenizer, corpus, training loop, checkpoint resume and sampling of the character language model.</summary>
public class LanguageModelTests
{
    [Fact]
    public void TokenizerRoundTripsAndFallsBackToBytes()
    {
        var tok = CharTokenizer.FromText("abcab\n");
        Assert.Equal(3 + 1 + 256, tok.VocabSize);
        Assert.Equal([1, 2, 3, 0], tok.Encode("abc\n"));
        // 'é' (U+00E9) is not in the vocabulary: its UTF-8 bytes C3 A9 become ids C + 0xC3, C + 0xA9.
        Assert.Equal([1, 4 + 0xC3, 4 + 0xA9, 2], tok.Encode("aéb"));
        Assert.Equal("aéb 🙂", tok.Decode(tok.Encode("aéb 🙂")));
        Assert.Equal(tok.Characters, CharTokenizer.FromCharacters(tok.Characters).Characters);
    }

    [Fact]
    public void CorpusSplitsByAContiguousBlockAndFindsTheBundledText()
    {
        var corpus = TextCorpus.Load("bundled");
        Assert.StartsWith("Genesis 1\n\nIn the beginning God created the heaven and the earth.", corpus.Text);
        Assert.Equal(494564, corpus.Text.Length);   // ASCII: one character per byte
        var (train, val) = corpus.Split(0.1);
        Assert.Equal(corpus.Text, train + val);
        Assert.Equal((int)(494564 * 0.9), train.Length);
    }

    [Fact]
    public void LearningRateWarmsUpThenDecaysByCosine()
    {
        var o = new LanguageModelOptions { Steps = 110, WarmupSteps = 10, LearningRate = 1e-3, MinLearningRateFraction = 0.1 };
        Assert.Equal(1e-4, o.LearningRateAt(0), 12);
        Assert.Equal(1e-3, o.LearningRateAt(9), 12);
        Assert.Equal(1e-3, o.LearningRateAt(10), 12);
        Assert.Equal(1e-4 + 0.5 * 9e-4, o.LearningRateAt(60), 12);   // half way: cos(π/2) = 0
        Assert.Equal(1e-4, o.LearningRateAt(110), 12);
    }

    private static (TextCorpus Corpus, TransformerConfig Config, LanguageModelOptions Options) Small()
    {
        var text = string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 200));
        var path = Path.Combine(Path.GetTempPath(), $"nonlinear-lm-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        var corpus = TextCorpus.Load(path);
        File.Delete(path);
        var config = new TransformerConfig(1, 1, 16, 2, 16) { Mlp = MlpSpec.Parse("swiglu") };
        var options = new LanguageModelOptions { Steps = 100, BatchSize = 4, WarmupSteps = 4, LearningRate = 1e-2, EvalBatches = 2, Seed = 5 };
        return (corpus, config, options);
    }

    [Fact]
    public void TrainingLowersValidationBitsPerCharacter()
    {
        var (corpus, config, options) = Small();
        var trainer = new LanguageModelTrainer(config, corpus, options);
        double before = trainer.ValidationBitsPerCharacter();
        Assert.InRange(before, Math.Log2(trainer.Tokenizer.VocabSize) - 0.5, Math.Log2(trainer.Tokenizer.VocabSize) + 0.5);
        for (int i = 0; i < options.Steps; i++) trainer.TrainStep();
        double after = trainer.ValidationBitsPerCharacter();
        // 12 characters repeating in a fixed 24-character cycle: 100 steps take it well under the uniform ~8.1 bits.
        Assert.True(after < 3.0, $"validation bpc {after} after {options.Steps} steps (started at {before})");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.2f)]
    public void ResumeFromACheckpointIsExact(float dropout)
    {
        var (corpus, config, options) = Small();
        config = config with { Dropout = dropout, AttentionDropout = dropout };
        options = options with { Steps = 6 };
        var straight = new LanguageModelTrainer(config, corpus, options);
        for (int i = 0; i < 6; i++) straight.TrainStep();

        var first = new LanguageModelTrainer(config, corpus, options);
        for (int i = 0; i < 3; i++) first.TrainStep();
        var path = Path.Combine(Path.GetTempPath(), $"nonlinear-lm-{Environment.ProcessId}-{Guid.NewGuid():N}.safetensors");
        try
        {
            LanguageModelCheckpoint.Save(path, first, corpus.Name);
            var loaded = LanguageModelCheckpoint.Load(path);
            Assert.Equal(config with { Vocab = first.Tokenizer.VocabSize, Hidden = config.HiddenWidth }, loaded.Config);
            var resumed = new LanguageModelTrainer(loaded.Config, corpus, loaded.Options, loaded.Tokenizer);
            LanguageModelCheckpoint.Resume(resumed, loaded);
            Assert.Equal(3, resumed.Step);
            for (int i = 0; i < 3; i++) resumed.TrainStep();
            foreach (var ((name, a), (_, b)) in straight.Model.NamedParameters().Zip(resumed.Model.NamedParameters()))
                Assert.True(a.ToArray().SequenceEqual(b.ToArray()), $"{name} differs after resume");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SamplingIsSeededAndGreedyIsDeterministic()
    {
        var (corpus, config, options) = Small();
        options = options with { Steps = 300 };
        var trainer = new LanguageModelTrainer(config, corpus, options);
        for (int i = 0; i < options.Steps; i++) trainer.TrainStep();
        string a = TextSampler.Generate(trainer.Model, trainer.Tokenizer, "the ", 30, 0.8, 5, new Rng(9));
        string b = TextSampler.Generate(trainer.Model, trainer.Tokenizer, "the ", 30, 0.8, 5, new Rng(9));
        Assert.Equal(a, b);
        Assert.Equal(30, a.Length);
        string greedy = TextSampler.Generate(trainer.Model, trainer.Tokenizer, "the cat sat on the ", 3, 0, 0, new Rng(1));
        Assert.Equal("mat", greedy);
    }
}

/// <summary>Runs only where Debian's bible-kjv (the `bible` program) is installed.</summary>
public sealed class KjvFactAttribute : FactAttribute
{
    public KjvFactAttribute()
    {
        if (!File.Exists("/usr/bin/bible")) Skip = "/usr/bin/bible is absent (apt-get install bible-kjv).";
    }
}

public class KjvCorpusTests
{
    [KjvFact]
    public void FullKjvHasTheBundledLayoutAndContainsTheBundledText()
    {
        var full = TextCorpus.Load("kjv").Text;
        var bundled = TextCorpus.Load("bundled").Text;
        // The bundled file is the first whole chapters of the same rendering.
        Assert.StartsWith(bundled, full);
        Assert.EndsWith("The grace of our Lord Jesus Christ be with you all. Amen.\n", full);
        Assert.InRange(full.Length, 4_000_000, 4_400_000);
    }
}
