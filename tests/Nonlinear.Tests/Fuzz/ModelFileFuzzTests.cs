using Nonlinear.Data;
using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Sae;
using Nonlinear.Layers.Transformer;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;
using Nonlinear.Tests.Interpret.Sae;
using Xunit;

namespace Nonlinear.Tests.Fuzz;

/// <summary>
/// The readers of the interpretability and language-model files, fuzzed like <see cref="FileReaderFuzzTests"/>: an
/// SAE folder's cfg.json (ours and the SAELens layout) and its weights, a capture's index.json, and a language-model
/// checkpoint's metadata and tensors. Seeds come from the real writers; every rejection must be an
/// <see cref="InvalidDataException"/> with a message.
/// </summary>
public sealed class ModelFileFuzzTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nonlinear-fuzz-" + Guid.NewGuid().ToString("N"));

    public ModelFileFuzzTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SparseAutoencoder Sae(string arch)
    {
        var cfg = SaeFixtures.Config(arch);
        return new SparseAutoencoder(cfg, SaeFixtures.Params<float>(cfg, 31)) { HookName = "1" };
    }

    /// <summary>cfg.json mutated beside intact weights; seeds: our jumprelu and topk files and a SAELens-style topk config.</summary>
    [Fact]
    public async Task SaeConfigReader()
    {
        var seeds = new List<byte[]>();
        foreach (var arch in new[] { "jumprelu", "topk" })
        {
            string seedDir = Path.Combine(_dir, "seed-" + arch);
            SaeFiles.Save(Sae(arch), seedDir);
            seeds.Add(File.ReadAllBytes(Path.Combine(seedDir, "cfg.json")));
        }
        // SAELens writes k under activation_fn_kwargs and names the normalisation; our reader takes both.
        seeds.Add(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"architecture":"topk","d_in":{{SaeFixtures.DIn}},"d_sae":{{SaeFixtures.DSae}},"activation_fn_kwargs":{"k":3},"normalize_activations":"none","apply_b_dec_to_input":true,"hook_name":"1","matryoshka_widths":[4,12]}"""));
        string dir = Path.Combine(_dir, "fuzz-cfg");
        SaeFiles.Save(Sae("topk"), dir);
        string cfg = Path.Combine(dir, "cfg.json");
        var r = await FuzzHarness.Run("sae cfg.json", seeds, FuzzHarness.Seed(20261212), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(cfg, input); SaeFiles.Load(dir); });
        FuzzHarness.AssertClean(r);
    }

    /// <summary>The weights mutated beside an intact cfg.json: shape and threshold checks.</summary>
    [Fact]
    public async Task SaeWeightsReader()
    {
        string dir = Path.Combine(_dir, "fuzz-weights");
        SaeFiles.Save(Sae("jumprelu"), dir);
        string weights = Path.Combine(dir, "sae_weights.safetensors");
        var seed = File.ReadAllBytes(weights);
        var r = await FuzzHarness.Run("sae weights", [seed], FuzzHarness.Seed(20261213), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(weights, input); SaeFiles.Load(dir); });
        FuzzHarness.AssertClean(r);
    }

    /// <summary>A capture's index.json; a file-system error opening a named shard is not the index reader's to judge, so only Open is fuzzed.</summary>
    [Fact]
    public async Task ActivationIndexReader()
    {
        var (train, _) = DataSources.Load("digits");
        var data = train.Subset(Enumerable.Range(0, 40).ToArray());
        var model = (Nonlinear.Layers.Sequential)ModelSpec.Parse("mlp:8,4", "relu").Build(data.FeatureCount, 10, new Rng(7));
        string dir = Path.Combine(_dir, "capture");
        ActivationCapture.ToShards(model, data, ["1", "3"], dir, maxShardBytes: 1024, new CaptureOptions(BatchSize: 16));
        string index = Path.Combine(dir, "index.json");
        var seed = File.ReadAllBytes(index);
        var r = await FuzzHarness.Run("activation index", [seed], FuzzHarness.Seed(20261214), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(index, input); ActivationShards.Open(dir); });
        FuzzHarness.AssertClean(r);
    }

    /// <summary>A language-model checkpoint written by the trainer: its metadata (model, tokenizer, options) and tensors, through Load and Model.</summary>
    [Fact]
    public async Task LanguageModelCheckpointReader()
    {
        string textPath = Path.Combine(_dir, "text.txt");
        File.WriteAllText(textPath, string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 40)));
        var corpus = TextCorpus.Load(textPath);
        var config = new TransformerConfig(1, 1, 8, 2, 8) { Mlp = MlpSpec.Parse("swiglu") };
        var trainer = new LanguageModelTrainer(config, corpus, new LanguageModelOptions { Steps = 2, BatchSize = 2, WarmupSteps = 1, EvalBatches = 1, Seed = 5 });
        trainer.TrainStep();
        string seedPath = Path.Combine(_dir, "seed-lm.safetensors");
        LanguageModelCheckpoint.Save(seedPath, trainer, corpus.Name);
        var seed = File.ReadAllBytes(seedPath);
        string path = Path.Combine(_dir, "fuzz-lm.safetensors");
        var r = await FuzzHarness.Run("lm checkpoint", [seed], FuzzHarness.Seed(20261215), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(path, input); LanguageModelCheckpoint.Model(LanguageModelCheckpoint.Load(path)); });
        FuzzHarness.AssertClean(r);
    }

    /// <summary>The int8 language-model state (`quantize` on an `lm train` checkpoint, nonlinear-lm-int8/1) written by the real writer.</summary>
    [Fact]
    public async Task DynamicQuantizedStateReader()
    {
        var config = new TransformerConfig(12, 1, 8, 2, 8) { Mlp = MlpSpec.Parse("swiglu"), TieWeights = false };
        var model = new DecoderTransformer(config, new Rng(4));
        string seedPath = Path.Combine(_dir, "seed-lm-int8.safetensors");
        using (var q = Nonlinear.Quantization.DynamicQuantization.Apply(model))
            Nonlinear.Quantization.DynamicQuantizedStateFile.Save(seedPath, model, q.Layers, "model.", new Dictionary<string, string> { ["format"] = "fuzz" });
        var seed = File.ReadAllBytes(seedPath);
        string path = Path.Combine(_dir, "fuzz-lm-int8.safetensors");
        var r = await FuzzHarness.Run("lm int8 state", [seed], FuzzHarness.Seed(20261216), typeof(InvalidDataException),
            (input, _) => { File.WriteAllBytes(path, input); Nonlinear.Quantization.DynamicQuantizedStateFile.Load(path, "model."); });
        FuzzHarness.AssertClean(r);
    }
}
