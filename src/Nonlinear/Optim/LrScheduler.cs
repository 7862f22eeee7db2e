namespace Nonlinear.Optim;

/// <summary>
/// Base of the learning-rate schedules. Each defines the learning rate after <c>epoch</c> calls to <see cref="Step"/>
/// in closed form from the optimizer's <see cref="Optimizer.InitialLearningRate"/>; construction applies epoch 0
/// (as PyTorch's schedulers do) and every <see cref="Step"/> advances one epoch and writes the new rate.
/// </summary>
public abstract class LrScheduler
{
    /// <summary>Binds the schedule to <paramref name="optimizer"/>. Subclasses call <see cref="Apply"/> at the end of their constructor.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
    }

    /// <summary>The optimizer whose learning rate is set.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The learning rate the schedule scales (the optimizer's initial one).</summary>
    public double BaseLearningRate => Optimizer.InitialLearningRate;

    /// <summary>Number of <see cref="Step"/> calls so far (PyTorch's last_epoch).</summary>
    public int Epoch { get; private set; }

    /// <summary>The learning rate at <paramref name="epoch"/> ≥ 0, in closed form.</summary>
    public abstract double LearningRateAt(int epoch);

    /// <summary>Advances one epoch and sets the optimizer's learning rate.</summary>
    public void Step()
    {
        Epoch++;
        Apply();
    }

    /// <summary>Writes the learning rate of the current epoch to the optimizer.</summary>
    protected void Apply() => Optimizer.LearningRate = LearningRateAt(Epoch);

    /// <summary>The schedule's position ("epoch"), for checkpoints.</summary>
    public OrderedDictionary<string, double> StateDict() => new() { ["epoch"] = Epoch };

    /// <summary>Restores the position and re-applies its learning rate.</summary>
    /// <exception cref="ArgumentException">"epoch" is missing or not a non-negative integer.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryGetValue("epoch", out double e) || !(e >= 0 && e <= int.MaxValue && e == Math.Floor(e)))
            throw new ArgumentException($"scheduler state needs 'epoch' as a non-negative integer; got {(state.TryGetValue("epoch", out e) ? e.ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")}.", nameof(state));
        Epoch = (int)e;
        Apply();
    }
}
