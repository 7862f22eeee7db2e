namespace Nonlinear.Interpret.Probes;

/// <summary>Settings of <see cref="LinearProbe"/>.</summary>
/// <param name="L2">The penalty λ in mean cross-entropy + λ/2·‖W‖² (the bias is not penalised; sklearn's C = 1/(λ·n)).</param>
/// <param name="MaxIterations">L-BFGS iterations (strong-Wolfe line search).</param>
/// <param name="TestFraction">The share of inputs held out by <see cref="LinearProbe.TrainTest"/>.</param>
/// <param name="Seed">Seed of the train/test shuffle.</param>
/// <param name="Standardize">Scale each unit to zero mean and unit variance on the training rows first (constant units become 0).</param>
public sealed record ProbeOptions(double L2 = 1e-3, int MaxIterations = 100, double TestFraction = 0.2, ulong Seed = 0, bool Standardize = true)
{
    internal void Validate()
    {
        if (!(L2 >= 0) || double.IsInfinity(L2)) throw new InvalidInputException($"probe L2 must be finite and ≥ 0; got {L2}.", nameof(L2));
        if (MaxIterations < 1 || MaxIterations > 100_000) throw new InvalidInputException($"probe iterations must be in [1, 100000]; got {MaxIterations}.", nameof(MaxIterations));
        if (!(TestFraction > 0 && TestFraction < 1)) throw new InvalidInputException($"probe test fraction must be in (0, 1); got {TestFraction}.", nameof(TestFraction));
    }
}
