using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nonlinear.Cli.Runs;
using Nonlinear.Data;
using Nonlinear.Kernels;
using Nonlinear.Layers.Transformer;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear lm train|sample`: a character-level decoder-only transformer on any UTF-8 text (default: the bundled King
/// James Genesis–Leviticus), with checkpoints that resume exactly, and sampling with temperature and top-k.
/// </summary>
internal static class LmCommand
{
    public static Command Create()
    {
        var lm = new Command("lm", "Character-level transformer language model: train on a text, sample from a checkpoint.");
        lm.Subcommands.Add(Train());
        lm.Subcommands.Add(Sample());
        return lm;
    }

    private static Option<int> Threads() => new("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };

    private static Command Train()
    {
        var text = new Option<string>("--text") { Description = "UTF-8 text file, 'bundled' (KJV Genesis–Leviticus, 495 kB) or 'kjv' (the whole KJV via Debian's bible-kjv).", DefaultValueFactory = _ => "bundled" };
        var model = new Option<string>("--model") { Description = "gpt:LAYERSxWIDTH[,heads=H,ctx=C] (heads default WIDTH/32, ctx 128).", DefaultValueFactory = _ => "gpt:4x128" };
        var mlp = new Option<string>("--mlp") { Description = "swiglu, geglu, reglu, glu, glu(ACT), bilinear, or any activation (gelu, relu, relu2, learnable units).", DefaultValueFactory = _ => "gelu" };
        var hidden = new Option<int?>("--hidden") { Description = "MLP hidden width (default 4·WIDTH, gated kinds ⌈8·WIDTH/3⌉ to a multiple of 8)." };
        var position = new Option<string>("--position") { Description = "learned, sinusoidal or rotary.", DefaultValueFactory = _ => "learned" };
        var norm = new Option<string>("--norm") { Description = "layernorm, rmsnorm or none.", DefaultValueFactory = _ => "layernorm" };
        var untied = new Option<bool>("--untied") { Description = "A separate output head instead of the tied token embedding." };
        var dropout = new Option<float>("--dropout") { Description = "Residual dropout." };
        var attnDropout = new Option<float>("--attn-dropout") { Description = "Attention-probability dropout." };
        var steps = new Option<int>("--steps") { Description = "Optimisation steps (the total, also when resuming).", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "Sequences per step.", DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (AdamW).", DefaultValueFactory = _ => 1e-3 };
        var warmup = new Option<int>("--warmup") { Description = "Linear warm-up steps before the cosine decay.", DefaultValueFactory = _ => 100 };
        var wd = new Option<double>("--weight-decay") { Description = "AdamW weight decay on matrices and embeddings.", DefaultValueFactory = _ => 0.1 };
        var clip = new Option<double>("--clip") { Description = "Gradient-norm clip (0: off).", DefaultValueFactory = _ => 1.0 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validation (bits per character) every N steps.", DefaultValueFactory = _ => 250 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of weights, batches and dropout.", DefaultValueFactory = _ => 1UL };
        var output = new Option<string>("--out") { Description = "Checkpoint (safetensors), written at every validation and at the end.", Required = true };
        var resume = new Option<string?>("--resume") { Description = "Continue from this checkpoint (its model, text and options); --steps is the total." };
        var sample = new Option<int>("--sample") { Description = "Characters sampled at the end (0: none).", DefaultValueFactory = _ => 200 };
        var threads = Threads();
        var cmd = new Command("train", "Train a character-level transformer.")
            { text, model, mlp, hidden, position, norm, untied, dropout, attnDropout, steps, batch, lr, warmup, wd, clip, evalEvery, seed, output, resume, sample, threads };
        cmd.SetAction(pr =>
        {
            SetThreads(pr.GetValue(threads));
            string outPath = pr.GetValue(output)!;
            string? resumePath = pr.GetValue(resume);
            CliPaths.RequireOutputFile("--out", outPath, ".safetensors");
            LanguageModelTrainer trainer;
            TextCorpus corpus;
            if (resumePath is not null)
            {
                CliPaths.RequireInputFile("--resume", resumePath);
                var loaded = LanguageModelCheckpoint.Load(resumePath);
                corpus = TextCorpus.Load(loaded.TextSource);
                var options = loaded.Options with { Steps = pr.GetValue(steps) };
                options.Validate();
                if (options.Steps < int.Parse(loaded.Metadata["step"], CultureInfo.InvariantCulture))
                    throw new InvalidInputException($"--steps {options.Steps}: the checkpoint has already done {loaded.Metadata["step"]} steps.");
                trainer = new LanguageModelTrainer(loaded.Config, corpus, options, loaded.Tokenizer);
                LanguageModelCheckpoint.Resume(trainer, loaded);
            }
            else
            {
                var spec = UserError.AtBoundary("--model", () => ModelSpec.Parse(pr.GetValue(model)!));
                var mlpSpec = UserError.AtBoundary("--mlp", () => MlpSpec.Parse(pr.GetValue(mlp)!));
                var config = GptKind.Config(spec, 1, mlpSpec) with
                {
                    Hidden = pr.GetValue(hidden),
                    Position = ParseEnum<PositionEncoding>("--position", pr.GetValue(position)!, ["learned", "sinusoidal", "rotary"]),
                    Norm = ParseEnum<NormKind>("--norm", pr.GetValue(norm)!.Replace("layernorm", "LayerNorm", StringComparison.OrdinalIgnoreCase).Replace("rmsnorm", "RmsNorm", StringComparison.OrdinalIgnoreCase), ["layernorm", "rmsnorm", "none"]),
                    TieWeights = !pr.GetValue(untied),
                    Dropout = pr.GetValue(dropout),
                    AttentionDropout = pr.GetValue(attnDropout),
                };
                var options = new LanguageModelOptions
                {
                    Steps = pr.GetValue(steps), BatchSize = pr.GetValue(batch), LearningRate = pr.GetValue(lr), WarmupSteps = Math.Min(pr.GetValue(warmup), pr.GetValue(steps)),
                    WeightDecay = pr.GetValue(wd), ClipNorm = pr.GetValue(clip), EvalEvery = pr.GetValue(evalEvery), Seed = pr.GetValue(seed),
                };
                corpus = TextCorpus.Load(pr.GetValue(text)!);
                trainer = new LanguageModelTrainer(config, corpus, options);
            }
            return Run(trainer, corpus, outPath, pr.GetValue(sample));
        });
        return CommandRun.Record(cmd, "lm", pr => pr.GetValue(output));
    }

    private static T ParseEnum<T>(string option, string value, string[] names) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var v) && Enum.IsDefined(v)
            ? v
            : throw new InvalidInputException($"{option} '{value}': expected one of {string.Join(", ", names)}.");

    private static void SetThreads(int t)
    {
        if (t < 1 || t > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {t}.");
        Parallelism.MaxThreads = t;
    }

    private static int Run(LanguageModelTrainer trainer, TextCorpus corpus, string outPath, int sampleChars)
    {
        var o = trainer.Options;
        var c = trainer.Model.Config;
        Console.WriteLine($"lm: {c.Layers}x{c.Width} heads {c.Heads} ctx {c.Context} mlp {c.Mlp} (hidden {c.HiddenWidth}) {c.Position} {c.Norm}{(c.TieWeights ? " tied" : "")}, " +
            $"{trainer.Model.ParameterCount:N0} parameters, vocab {c.Vocab} ({trainer.Tokenizer.CharacterCount} characters + 256 bytes), text {corpus.Name} ({corpus.Text.Length:N0} characters)");
        int tokensPerStep = o.BatchSize * c.Context;
        CommandRun.Current?.Checkpoint(outPath);
        CommandRun.Current?.Begin(RunConfigs.Lm(trainer, corpus));
        var total = Stopwatch.StartNew();
        double lastBpc = double.NaN;
        ProgressView.RunMany($"lm {c.Mlp}", o.Steps - trainer.Step, session => session.Track($"lm {c.Mlp}", o.Steps - trainer.Step, observer =>
        {
            observer.EpochStarted(0, 1, o.Steps);
            var window = Stopwatch.StartNew();
            int windowSteps = 0;
            double lossSum = 0;
            while (trainer.Step < o.Steps)
            {
                float loss = trainer.TrainStep();
                lossSum += loss;
                windowSteps++;
                observer.BatchFinished(0, trainer.Step, loss, double.NaN);
                if (trainer.Step % o.EvalEvery == 0 || trainer.Step == o.Steps)
                {
                    double tps = windowSteps * tokensPerStep / window.Elapsed.TotalSeconds;
                    lastBpc = trainer.ValidationBitsPerCharacter();
                    session.Line(string.Create(CultureInfo.InvariantCulture,
                        $"step {trainer.Step,6}/{o.Steps}  train loss {lossSum / windowSteps:0.0000} nats  val {lastBpc:0.000} bpc  {tps:N0} tokens/s  lr {o.LearningRateAt(trainer.Step - 1):0.0e+0}  {total.Elapsed.TotalSeconds:0}s"));
                    LanguageModelCheckpoint.Save(outPath, trainer, corpus.Name);
                    CommandRun.Current?.Step(trainer.Step, new Dictionary<string, double> { ["train_loss"] = lossSum / windowSteps, ["val_bpc"] = lastBpc, ["tokens_per_second"] = tps });
                    window.Restart();
                    windowSteps = 0;
                    lossSum = 0;
                }
            }
            return 0;
        }));
        LanguageModelCheckpoint.Save(outPath, trainer, corpus.Name);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {outPath}: {trainer.Step} steps, val {lastBpc:0.000} bits per character, {total.Elapsed.TotalSeconds:0.0}s"));
        if (sampleChars > 0)
            Console.WriteLine("sample: " + TextSampler.Generate(trainer.Model, trainer.Tokenizer, "\n", sampleChars, 0.8, 0, new Rng(o.Seed)));
        return 0;
    }

    private static Command Sample()
    {
        var file = new Argument<string>("checkpoint") { Description = "A checkpoint written by `lm train`." };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue.", DefaultValueFactory = _ => "\n" };
        var tokens = new Option<int>("--tokens") { Description = "Characters to generate.", DefaultValueFactory = _ => 200 };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature (0: greedy).", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely characters (0: all).", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed.", DefaultValueFactory = _ => 1UL };
        var threads = Threads();
        var cmd = new Command("sample", "Generate text from a trained language model.") { file, prompt, tokens, temperature, topK, seed, threads };
        cmd.SetAction(pr =>
        {
            SetThreads(pr.GetValue(threads));
            string path = pr.GetValue(file)!;
            CliPaths.RequireInputFile("checkpoint", path);
            var loaded = LanguageModelCheckpoint.Load(path);
            var model = LanguageModelCheckpoint.Model(loaded);
            string p = pr.GetValue(prompt)!;
            Console.WriteLine(p + TextSampler.Generate(model, loaded.Tokenizer, p, pr.GetValue(tokens), pr.GetValue(temperature), pr.GetValue(topK), new Rng(pr.GetValue(seed))));
            return 0;
        });
        return cmd;
    }
}
