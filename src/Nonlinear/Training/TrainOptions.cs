namespace Nonlinear.Training;

/// <summary>The optimisers the trainer can build.</summary>
public enum OptimizerKind
{
    /// <summary>torch.optim.Adam.</summary>
    Adam,
    /// <summary>torch.optim.AdamW (decoupled weight decay).</summary>
    AdamW,
    /// <summary>torch.optim.SGD with momentum 0.9 (Nesterov off).</summary>
    Sgd,
}

/// <summary>The optimisers' names as typed on the command line and stored in checkpoints.</summary>
public static class OptimizerKinds
{
    /// <summary>The valid names, in the order of <see cref="OptimizerKind"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adam", "adamw", "sgd"];

    /// <summary>"adam, adamw or sgd", for messages.</summary>
    public static string Expected => string.Join(", ", Names.Take(Names.Count - 1)) + " or " + Names[^1];

    /// <summary>The name of <paramref name="kind"/> ("adamw").</summary>
    public static string Name(OptimizerKind kind) => Names[(int)kind];

    /// <summary>
    /// Parses one of <see cref="Names"/> (case-insensitive). Unlike Enum.Parse it accepts no numbers ("1") and no
    /// other enum spelling, so a corrupt or mistyped name is refused instead of becoming some optimiser.
    /// </summary>
    public static bool TryParse(string? name, out OptimizerKind kind)
    {
        int i = name is null ? -1 : Names.ToList().FindIndex(n => n.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
        kind = i < 0 ? default : (OptimizerKind)i;
        return i >= 0;
    }
}

/// <summary>How to train: everything that, with the data, determines a run bit for bit (with the thread count).</summary>
public sealed record TrainOptions
{
    /// <summary>Largest <see cref="Epochs"/> accepted.</summary>
    public const int MaxEpochs = 100_000;
    /// <summary>Largest <see cref="BatchSize"/> accepted.</summary>
    public const int MaxBatchSize = 1 << 20;

    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 5;
    /// <summary>Samples per step.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Optimiser.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Weight decay (L2 for Adam/SGD, decoupled for AdamW).</summary>
    public float WeightDecay { get; init; }
    /// <summary>Label smoothing of the cross-entropy.</summary>
    public float LabelSmoothing { get; init; }
    /// <summary>Seed of initialisation, shuffling and dropout.</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws when a value is out of range; the message names the option.</summary>
    public void Validate()
    {
        if (Epochs < 1 || Epochs > MaxEpochs) throw new InvalidInputException($"--epochs must be in [1, 100000]; got {Epochs}.");
        if (BatchSize < 1 || BatchSize > MaxBatchSize) throw new InvalidInputException($"--batch must be in [1, 1048576]; got {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new InvalidInputException($"--lr must be a positive finite number; got {LearningRate}.");
        if (!(WeightDecay >= 0) || !float.IsFinite(WeightDecay)) throw new InvalidInputException($"--weight-decay must be ≥ 0; got {WeightDecay}.");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new InvalidInputException($"--label-smoothing must be in [0, 1); got {LabelSmoothing}.");
    }
}
