using System.Globalization;

namespace Nonlinear.Training;

/// <summary>
/// Hyper-parameters of <see cref="LanguageModelTrainer"/>: AdamW (decay on matrices and embeddings only, as nanoGPT),
/// linear warm-up then cosine decay to <see cref="MinLearningRateFraction"/>·lr, gradient clipping by global norm.
/// </summary>
public sealed record LanguageModelOptions
{
    /// <summary>Optimisation steps.</summary>
    public int Steps { get; init; } = 2000;
    /// <summary>Sequences per step.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Steps of linear warm-up from 0.</summary>
    public int WarmupSteps { get; init; } = 100;
    /// <summary>Learning rate at the last step, as a fraction of the peak.</summary>
    public double MinLearningRateFraction { get; init; } = 0.1;
    /// <summary>AdamW decoupled weight decay on parameters of rank ≥ 2.</summary>
    public double WeightDecay { get; init; } = 0.1;
    /// <summary>AdamW β₁.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>AdamW β₂.</summary>
    public double Beta2 { get; init; } = 0.95;
    /// <summary>Global gradient-norm clip; 0 disables.</summary>
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>Fraction of the text (its end) held out for validation.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Validation every this many steps (and at the end).</summary>
    public int EvalEvery { get; init; } = 250;
    /// <summary>Fixed validation batches averaged per evaluation.</summary>
    public int EvalBatches { get; init; } = 8;
    /// <summary>Seed of the weights, batches and dropout.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Checks every bound, naming the option.</summary>
    /// <exception cref="InvalidInputException">A value out of range.</exception>
    public void Validate()
    {
        Check(Steps is >= 1 and <= 10_000_000, "--steps", Steps, "[1, 10000000]");
        Check(BatchSize is >= 1 and <= 4096, "--batch", BatchSize, "[1, 4096]");
        Check(LearningRate > 0 && LearningRate <= 10, "--lr", LearningRate, "(0, 10]");
        Check(WarmupSteps >= 0 && WarmupSteps <= Steps, "--warmup", WarmupSteps, $"[0, steps = {Steps}]");
        Check(MinLearningRateFraction is >= 0 and <= 1, "--min-lr-fraction", MinLearningRateFraction, "[0, 1]");
        Check(WeightDecay is >= 0 and <= 100, "--weight-decay", WeightDecay, "[0, 100]");
        Check(Beta1 is >= 0 and < 1, "--beta1", Beta1, "[0, 1)");
        Check(Beta2 is >= 0 and < 1, "--beta2", Beta2, "[0, 1)");
        Check(ClipNorm >= 0 && double.IsFinite(ClipNorm), "--clip", ClipNorm, "≥ 0 (0 disables)");
        Check(ValidationFraction is > 0 and < 1, "--val-fraction", ValidationFraction, "(0, 1)");
        Check(EvalEvery >= 1, "--eval-every", EvalEvery, "≥ 1");
        Check(EvalBatches is >= 1 and <= 1000, "--eval-batches", EvalBatches, "[1, 1000]");
    }

    /// <summary>The learning rate of step <paramref name="step"/> (0-based): warm-up (step+1)/W·lr, then cosine to the floor.</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        int span = Math.Max(1, Steps - WarmupSteps);
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / span);
        double floor = MinLearningRateFraction * LearningRate;
        return floor + 0.5 * (LearningRate - floor) * (1 + Math.Cos(Math.PI * progress));
    }

    private static void Check(bool ok, string name, double value, string expected)
    {
        if (!ok) throw new InvalidInputException($"{name} {value.ToString(CultureInfo.InvariantCulture)}: expected {expected}.", name);
    }
}
