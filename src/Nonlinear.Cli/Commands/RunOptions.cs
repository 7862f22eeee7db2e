using System.CommandLine;
using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.LocalLearning;
using Nonlinear.Models;
using Nonlinear.Quantization.Qat;
using Nonlinear.Tensors;
using Nonlinear.Training;

namespace Nonlinear.Cli.Commands;

/// <summary>The options shared by `train` and `compare`, and their reading into <see cref="RunSettings"/>.</summary>
/// <param name="singleRun">True for `train` (one --activation, one --seed); false for `compare`, which varies both itself.</param>
internal sealed class RunOptions(bool singleRun = true)
{
    public readonly Option<string> Data = new("--data") { Description = "digits (bundled), fashion-mnist, or PATH.csv (label in the last column).", DefaultValueFactory = _ => "digits" };
    public readonly Option<string?> Test = new("--test") { Description = TestHelp };
    public readonly Option<string?> DataDir = new("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)." };
    public readonly Option<string> Model = new("--model") { Description = "Model (hidden widths; inputs and outputs come from the data): " + string.Join("; ", ModelKinds.All.Select(k => k.Form)) + ".", DefaultValueFactory = _ => "mlp:256,256" };
    public readonly Option<string?> Activation = new("--activation") { Description = "Activation between layers (default relu for mlp and cnn; KAN kinds take none), e.g. gelu, leaky_relu(0.2); learnable: prelu, pau(5,4), snake(a=0.5), snake_beta, sau, apa." };
    public readonly Option<int> Epochs = new("--epochs") { Description = "Total epochs.", DefaultValueFactory = _ => 5 };
    public readonly Option<int> Batch = new("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 128 };
    public readonly Option<float> Lr = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 1e-3f };
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "adam, adamw or sgd (momentum 0.9).", DefaultValueFactory = _ => "adam" };
    public readonly Option<float> WeightDecay = new("--weight-decay") { Description = "Weight decay.", DefaultValueFactory = _ => 0f };
    public readonly Option<float> LabelSmoothing = new("--label-smoothing") { Description = "Cross-entropy label smoothing in [0,1).", DefaultValueFactory = _ => 0f };
    public readonly Option<ulong> Seed = new("--seed") { Description = "Seed of initialisation and shuffling.", DefaultValueFactory = _ => 0UL };
    public readonly Option<int> Threads = new("--threads") { Description = "Threads for the kernels.", DefaultValueFactory = _ => Environment.ProcessorCount };

    /// <summary>Help of every --test option (train, compare, eval).</summary>
    public const string TestHelp = "PATH.csv: the test set for CSV --data (your own split; features are standardised with the training set's mean and deviation). " +
        "Without it, digits and CSV data are split 80/20, stratified by class, with the fixed seed 20241123.";

    private IEnumerable<Option> All => singleRun
        ? [Data, Test, DataDir, Model, Activation, Epochs, Batch, Lr, Optimizer, WeightDecay, LabelSmoothing, Seed, Threads]
        : [Data, Test, DataDir, Model, Epochs, Batch, Lr, Optimizer, WeightDecay, LabelSmoothing, Threads];

    public void AddTo(Command cmd) { foreach (var o in All) cmd.Options.Add(o); }

    /// <summary>Names of the options the user typed (not defaults).</summary>
    public HashSet<string> Explicit(ParseResult pr) =>
        All.Where(o => pr.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();

    /// <summary>
    /// The float options as the user typed them ("lr" → "0.001"), so reports print 0.001 and not the float's
    /// double expansion 0.0010000000474974513.
    /// </summary>
    private Dictionary<string, string> TypedNumbers(ParseResult pr)
    {
        var typed = new Dictionary<string, string>();
        foreach (var (key, option) in new[] { ("lr", Lr), ("weight_decay", WeightDecay), ("label_smoothing", LabelSmoothing) })
            if (pr.GetResult(option) is { Implicit: false, Tokens: [var token, ..] }) typed[key] = token.Value;
        return typed;
    }

    public RunSettings Read(ParseResult pr)
    {
        string opt = pr.GetValue(Optimizer)!;
        if (!OptimizerKinds.TryParse(opt, out var kind))
            throw new InvalidInputException($"--optimizer: expected {OptimizerKinds.Expected}; got '{opt}'.");
        int threads = pr.GetValue(Threads);
        if (threads < 1 || threads > 256) throw new InvalidInputException($"--threads must be in [1, 256]; got {threads}.");
        // compare sets the activation and seed of each run itself; the kind's default and 0 only stand in until then.
        var model = ModelSpec.Parse(pr.GetValue(Model)!, singleRun ? pr.GetValue(Activation) : null);
        var settings = new RunSettings(pr.GetValue(Data)!, pr.GetValue(DataDir), model, threads, new TrainOptions
        {
            Epochs = pr.GetValue(Epochs), BatchSize = pr.GetValue(Batch), LearningRate = pr.GetValue(Lr), Optimizer = kind,
            WeightDecay = pr.GetValue(WeightDecay), LabelSmoothing = pr.GetValue(LabelSmoothing), Seed = singleRun ? pr.GetValue(Seed) : 0UL,
        })
        { Test = pr.GetValue(Test), Typed = TypedNumbers(pr) };
        settings.Validate();
        return settings;
    }
}

/// <summary>A fully described run: what `train` needs and what a checkpoint records.</summary>
internal sealed record RunSettings(string Data, string? DataDir, ModelSpec Model, int Threads, TrainOptions Options)
{
    /// <summary>The user's own CSV test set (--test), or null for the built-in split.</summary>
    public string? Test { get; init; }

    /// <summary>These settings with the test file a checkpoint recorded, unless one was given.</summary>
    public RunSettings WithTestFrom(Dictionary<string, string> meta) =>
        Test is null && meta.TryGetValue("test", out var t) ? this with { Test = t } : this;

    /// <summary>Quantization-aware training (`train --qat`), or null for a float run; recorded as "qat" in checkpoints.</summary>
    public QatSpec? Qat { get; init; }
    /// <summary>How gradients are computed (train's --learning); recorded in checkpoints unless it is bp.</summary>
    public LearningSpec Learning { get; init; } = LearningSpec.Backprop;

    /// <summary>Float options as typed, by metadata key ("lr"); see <see cref="Describe"/>.</summary>
    public IReadOnlyDictionary<string, string> Typed { get; init; } = new Dictionary<string, string>();

    /// <summary>The run's warnings; copies made with `with` (compare's runs) share it, so each prints once per command.</summary>
    public WarningSink Warnings { get; init; } = new();

    public void Validate() => Options.Validate();

    /// <summary>The activation as printed and stored ("none" for kinds that take none).</summary>
    public string ActivationText => Model.Activation?.ToString() ?? "none";

    /// <summary>
    /// Train and test splits. Fashion-MNIST keeps PyTorch's x/255 scaling (as the peer benchmark); digits and CSV
    /// features are standardised with the training split's mean and standard deviation.
    /// </summary>
    public (Dataset Train, Dataset Test) LoadData()
    {
        var (train, test) = DataSources.Load(Data, DataDir, Test, Warnings.Warn);
        if (train.IsRegression)
            throw new InvalidInputException($"--data {Data}: the label column holds non-integer values; `train` fits classifiers.");
        if (Data.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase)) return (train, test);
        var std = Standardizer.Fit(train);
        return (std.Transform(train), std.Transform(test));
    }

    public Trainer BuildTrainer(Dataset train)
    {
        // A model spec can also be wrong for the data (a CNN on features that are not a square image).
        var model = Model.Build(train.FeatureCount, train.NumClasses, new Rng(Options.Seed), Warnings.Warn);
        if (Qat is { } qat)
        {
            if (Learning.Mode != LearningMode.Backprop)
                throw new InvalidInputException($"--qat trains with backpropagation; got --learning {Learning}. Drop one of them.", "--qat");
            model = UserError.AtBoundary("--qat", () => QuantizationAwareTraining.Prepare(model, qat));
        }
        // ff and hebbian-krotov replace the MLP by their own net; eval and resume rebuild it from the recorded learning.
        var (trained, rule) = LearningRules.Prepare(Learning, model, Options.Seed);
        return new Trainer(trained, Options) { GradientRule = rule };
    }

    /// <summary>Batches per epoch on <paramref name="train"/>, for progress bars.</summary>
    public int BatchesPerEpoch(Dataset train) => (train.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>
    /// A float option as the user typed it when that text parses to the value in use (so it round-trips through a
    /// checkpoint); otherwise the float's shortest round-trip form ("0.001", not the double expansion of the float).
    /// </summary>
    private string F(string key, float v) =>
        Typed.TryGetValue(key, out var t) && float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float p) && p.Equals(v)
            ? t.Trim() : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The metadata a checkpoint keeps so that eval and resume rebuild the same run.</summary>
    public Dictionary<string, string> Describe()
    {
        var d = DescribeRun();
        if (Test is not null) d["test"] = Test;
        if (Qat is not null) d["qat"] = Qat.ToString();
        if (Learning.Mode != LearningMode.Backprop) d["learning"] = Learning.ToString();
        return d;
    }

    private Dictionary<string, string> DescribeRun() => new()
    {
        ["data"] = Data, ["model"] = Model.ToString(), ["activation"] = Model.Activation?.ToString() ?? "",
        ["epochs"] = Options.Epochs.ToString(CultureInfo.InvariantCulture), ["batch"] = Options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["lr"] = F("lr", Options.LearningRate), ["optimizer"] = OptimizerKinds.Name(Options.Optimizer),
        ["weight_decay"] = F("weight_decay", Options.WeightDecay), ["label_smoothing"] = F("label_smoothing", Options.LabelSmoothing),
        ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Takes the run description from a checkpoint's metadata, so a resumed run is the same run. Every value is read
    /// with its bounds ("corrupt checkpoint: batch …" names the stored value, never an option the user did not type).
    /// An option the user typed that disagrees with the checkpoint is refused rather than applied: `--resume`
    /// promises the run continues exactly as if it had never stopped, and a changed --lr would make it neither that
    /// run nor a new one (start a new run from the weights with `train --init` for that). --epochs (the new total),
    /// --threads and --data-dir may differ.
    /// </summary>
    public RunSettings MergeFromCheckpoint(Dictionary<string, string> metadata, HashSet<string> typed, string path)
    {
        var meta = new CheckpointMetadata(metadata, path);
        ModelSpec model;
        try
        {
            // Checkpoints written before KAN kinds refused --activation recorded the unused default "relu" for them.
            string modelText = meta.String("model"), activationText = meta.String("activation");
            model = ModelSpec.Parse(modelText);
            model = ModelSpec.Parse(modelText, model.Kind.DefaultActivation is null && activationText == "relu" ? "" : activationText);
        }
        catch (InvalidInputException e) { throw new InvalidDataException($"{path}: corrupt checkpoint: {UserError.Describe(e)}", e); }
        QatSpec? qat;
        try { qat = metadata.TryGetValue("qat", out var q) ? QatSpec.Parse(q, "qat") : null; }
        catch (InvalidInputException e) { throw new InvalidDataException($"{path}: corrupt checkpoint: {UserError.Describe(e)}", e); }
        var stored = this with
        {
            Data = meta.String("data"), Model = model, Qat = qat,
            Options = Options with
            {
                BatchSize = meta.Int("batch", 1, TrainOptions.MaxBatchSize), LearningRate = meta.Positive("lr"),
                Optimizer = meta.Optimizer("optimizer"),
                WeightDecay = meta.Float("weight_decay", 0, float.MaxValue), LabelSmoothing = meta.Float("label_smoothing", 0, 1, maxExclusive: true),
                Seed = meta.UInt64("seed"),
            },
            Typed = new Dictionary<string, string>
            {
                ["lr"] = metadata["lr"], ["weight_decay"] = metadata["weight_decay"], ["label_smoothing"] = metadata["label_smoothing"],
            },
        };
        // Checkpoints without "learning" are bp runs, or fa/dfa runs from before it was recorded: keep the typed mode.
        if (metadata.TryGetValue("learning", out var learningText))
        {
            try { stored = stored with { Learning = LearningSpec.Parse(learningText) }; }
            catch (InvalidInputException e) { throw new InvalidDataException($"{path}: corrupt checkpoint: learning {UserError.Describe(e)}", e); }
            if (typed.Contains("--learning") && stored.Learning != Learning)
                throw new InvalidInputException($"--learning is {Learning} but the checkpoint {path} was trained with {stored.Learning}; omit --learning when resuming.");
        }
        try { stored.Validate(); }
        catch (InvalidInputException e) { throw new InvalidDataException($"{path}: corrupt checkpoint: {UserError.Describe(e)}", e); }
        var (mine, theirs) = (Describe(), stored.Describe());
        foreach (var (key, same) in new (string, bool)[]
        {
            ("data", Data == stored.Data), ("model", Model.ToString() == stored.Model.ToString()), ("activation", ActivationText == stored.ActivationText),
            ("batch", Options.BatchSize == stored.Options.BatchSize), ("lr", Options.LearningRate == stored.Options.LearningRate),
            ("optimizer", Options.Optimizer == stored.Options.Optimizer), ("weight_decay", Options.WeightDecay == stored.Options.WeightDecay),
            ("label_smoothing", Options.LabelSmoothing == stored.Options.LabelSmoothing), ("seed", Options.Seed == stored.Options.Seed),
        })
        {
            string option = "--" + key.Replace('_', '-');
            if (typed.Contains(option) && !same)
                throw new InvalidInputException($"{option} is {mine[key]} but the checkpoint {path} was trained with {theirs[key]}; omit {option} when resuming " +
                                                "(a resumed run is the same run; use --init to start a new one from these weights).");
        }
        return stored;
    }
}

/// <summary>Prints each distinct warning once per command, however many runs (seeds, activations) report it.</summary>
internal sealed class WarningSink
{
    private readonly HashSet<string> _seen = [];

    /// <summary>Prints "warning: <paramref name="message"/>" to stderr unless it was printed before.</summary>
    public void Warn(string message)
    {
        lock (_seen)
            if (_seen.Add(message)) Console.Error.WriteLine($"warning: {message}");
    }
}
