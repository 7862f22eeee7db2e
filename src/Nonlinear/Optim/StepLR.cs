namespace Nonlinear.Optim;

/// <summary>lr(e) = base·γ^⌊e/stepSize⌋ (torch.optim.lr_scheduler.StepLR).</summary>
public sealed class StepLR : LrScheduler
{
    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }
    /// <summary>Multiplicative decay γ.</summary>
    public double Gamma { get; }

    /// <summary>Decays the learning rate by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentException($"stepSize must be > 0; got {stepSize}.", nameof(stepSize));
        if (!(gamma >= 0) || !double.IsFinite(gamma)) throw new ArgumentException($"gamma must be finite and ≥ 0; got {gamma}.", nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
        Apply();
    }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch / StepSize);
}
