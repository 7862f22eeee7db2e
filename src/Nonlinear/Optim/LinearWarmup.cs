namespace Nonlinear.Optim;

/// <summary>
/// Linear warm-up: lr(e) = base·(s + (1 − s)·e/n) for e &lt; n (torch.optim.lr_scheduler.LinearLR with end factor 1),
/// then either holds base or hands over to <c>then</c> shifted by n epochs: lr(e) = then.LearningRateAt(e − n)
/// (what torch's SequentialLR([LinearLR, other], milestones=[n]) intends).
/// </summary>
public sealed class LinearWarmup : LrScheduler
{
    private readonly LrScheduler? _then;

    /// <summary>Start factor s.</summary>
    public double StartFactor { get; }
    /// <summary>Warm-up length n in epochs.</summary>
    public int WarmupSteps { get; }

    /// <summary>
    /// Warms up from <paramref name="startFactor"/>·base to base over <paramref name="warmupSteps"/> epochs, then follows
    /// <paramref name="then"/> (a schedule on the same optimizer, which this one drives; do not step it yourself) or holds.
    /// </summary>
    public LinearWarmup(Optimizer optimizer, double startFactor, int warmupSteps, LrScheduler? then = null) : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1)) throw new ArgumentException($"startFactor must be in (0, 1]; got {startFactor}.", nameof(startFactor));
        if (warmupSteps <= 0) throw new ArgumentException($"warmupSteps must be > 0; got {warmupSteps}.", nameof(warmupSteps));
        if (then is not null && !ReferenceEquals(then.Optimizer, optimizer))
            throw new ArgumentException("then must schedule the same optimizer as the warm-up.", nameof(then));
        StartFactor = startFactor;
        WarmupSteps = warmupSteps;
        _then = then;
        Apply();
    }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch)
    {
        if (epoch < WarmupSteps) return BaseLearningRate * (StartFactor + (1 - StartFactor) * epoch / WarmupSteps);
        return _then?.LearningRateAt(epoch - WarmupSteps) ?? BaseLearningRate;
    }
}
