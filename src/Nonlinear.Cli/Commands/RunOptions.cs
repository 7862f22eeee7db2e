using System.CommandLine;
using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Data;
using Nonlinear.Models;
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

    public RunSettings Read(ParseResult pr)
    {
        string opt = pr.GetValue(Optimizer)!;
        var kind = opt.ToLowerInvariant() switch
        {
            "adam" => OptimizerKind.Adam,
            "adamw" => OptimizerKind.AdamW,
            "sgd" => OptimizerKind.Sgd,
            _ => throw new ArgumentException($"--optimizer: expected adam, adamw or sgd; got '{opt}'."),
        };
        int threads = pr.GetValue(Threads);
        if (threads < 1 || threads > 256) throw new ArgumentException($"--threads must be in [1, 256]; got {threads}.");
        // compare sets the activation and seed of each run itself; the kind's default and 0 only stand in until then.
        var model = ModelSpec.Parse(pr.GetValue(Model)!, singleRun ? pr.GetValue(Activation) : null);
        var settings = new RunSettings(pr.GetValue(Data)!, pr.GetValue(DataDir), model, threads, new TrainOptions
        {
            Epochs = pr.GetValue(Epochs), BatchSize = pr.GetValue(Batch), LearningRate = pr.GetValue(Lr), Optimizer = kind,
            WeightDecay = pr.GetValue(WeightDecay), LabelSmoothing = pr.GetValue(LabelSmoothing), Seed = singleRun ? pr.GetValue(Seed) : 0UL,
        }) { Test = pr.GetValue(Test) };
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

    public void Validate() => Options.Validate();

    /// <summary>The activation as printed and stored ("none" for kinds that take none).</summary>
    public string ActivationText => Model.Activation?.ToString() ?? "none";

    /// <summary>
    /// Train and test splits. Fashion-MNIST keeps PyTorch's x/255 scaling (as the peer benchmark); digits and CSV
    /// features are standardised with the training split's mean and standard deviation.
    /// </summary>
    public (Dataset Train, Dataset Test) LoadData()
    {
        var (train, test) = DataSources.Load(Data, DataDir, Test, w => Console.Error.WriteLine($"warning: {w}"));
        if (train.IsRegression)
            throw new ArgumentException($"--data {Data}: the label column holds non-integer values; `train` fits classifiers.");
        if (Data.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase)) return (train, test);
        var std = Standardizer.Fit(train);
        return (std.Transform(train), std.Transform(test));
    }

    public Trainer BuildTrainer(Dataset train)
    {
        var model = Model.Build(train.FeatureCount, train.NumClasses, new Rng(Options.Seed),
            w => Console.Error.WriteLine($"warning: {w}"));
        return new Trainer(model, Options);
    }

    /// <summary>Batches per epoch on <paramref name="train"/>, for progress bars.</summary>
    public int BatchesPerEpoch(Dataset train) => (train.Count + Options.BatchSize - 1) / Options.BatchSize;

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The metadata a checkpoint keeps so that eval and resume rebuild the same run.</summary>
    public Dictionary<string, string> Describe()
    {
        var d = DescribeRun();
        if (Test is not null) d["test"] = Test;
        return d;
    }

    private Dictionary<string, string> DescribeRun() => new()
    {
        ["data"] = Data, ["model"] = Model.ToString(), ["activation"] = Model.Activation?.ToString() ?? "",
        ["epochs"] = Options.Epochs.ToString(CultureInfo.InvariantCulture), ["batch"] = Options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["lr"] = F(Options.LearningRate), ["optimizer"] = Options.Optimizer.ToString().ToLowerInvariant(),
        ["weight_decay"] = F(Options.WeightDecay), ["label_smoothing"] = F(Options.LabelSmoothing),
        ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Takes the run description from a checkpoint's metadata, so a resumed run is the same run. Options the
    /// user typed must agree with it, except --epochs (the new total), --threads, --data-dir.
    /// </summary>
    public RunSettings MergeFromCheckpoint(Dictionary<string, string> meta, HashSet<string> typed, string path)
    {
        string Get(string key) => meta.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"{path}: checkpoint metadata lacks '{key}'.");
        var fromFile = Describe();
        ModelSpec model;
        try
        {
            // Checkpoints written before KAN kinds refused --activation recorded the unused default "relu" for them.
            model = ModelSpec.Parse(Get("model"));
            model = ModelSpec.Parse(Get("model"), model.Kind.DefaultActivation is null && Get("activation") == "relu" ? "" : Get("activation"));
        }
        catch (InvalidInputException e) { throw new InvalidDataException($"{path}: checkpoint metadata: {e.Message}", e); }
        // Compared in canonical form, so "leaky_relu(0.2)" typed agrees with the stored "leaky_relu(negative_slope=0.2)".
        var stored = new Dictionary<string, string>(meta) { ["model"] = model.ToString(), ["activation"] = model.Activation?.ToString() ?? "" };
        // The test set does not change training: a resumed run may be evaluated on another one.
        foreach (var key in fromFile.Keys.Where(k => k != "epochs" && k != "test"))
        {
            string option = "--" + key.Replace('_', '-');
            if (typed.Contains(option) && stored.GetValueOrDefault(key) != fromFile[key])
                throw new ArgumentException($"{option} is '{fromFile[key]}' but the checkpoint {path} was trained with '{Get(key)}'; omit {option} when resuming.");
        }
        var inv = CultureInfo.InvariantCulture;
        return this with
        {
            Data = Get("data"), Model = model,
            Options = Options with
            {
                BatchSize = int.Parse(Get("batch"), inv), LearningRate = float.Parse(Get("lr"), inv),
                Optimizer = Enum.Parse<OptimizerKind>(Get("optimizer"), ignoreCase: true),
                WeightDecay = float.Parse(Get("weight_decay"), inv), LabelSmoothing = float.Parse(Get("label_smoothing"), inv),
                Seed = ulong.Parse(Get("seed"), inv),
            },
        };
    }
}
