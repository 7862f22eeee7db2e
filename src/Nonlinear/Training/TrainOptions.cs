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

/// <summary>How to train: everything that, with the data, determines a run bit for bit (with the thread count).</summary>
public sealed record TrainOptions
{
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
        if (Epochs < 1 || Epochs > 100_000) throw new ArgumentException($"--epochs must be in [1, 100000]; got {Epochs}.");
        if (BatchSize < 1 || BatchSize > 1 << 20) throw new ArgumentException($"--batch must be in [1, 1048576]; got {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"--lr must be a positive finite number; got {LearningRate}.");
        if (!(WeightDecay >= 0) || !float.IsFinite(WeightDecay)) throw new ArgumentException($"--weight-decay must be ≥ 0; got {WeightDecay}.");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentException($"--label-smoothing must be in [0, 1); got {LabelSmoothing}.");
    }
}
