namespace Nonlinear.Interpret.Statistics;

/// <summary>When a unit's value counts as active.</summary>
public enum ActivityRule
{
    /// <summary>a &gt; ε (ReLU-style: on when positive).</summary>
    Positive,
    /// <summary>|a| &gt; ε (for activations with a negative side, e.g. tanh, leaky ReLU).</summary>
    Magnitude,
}

/// <summary>Settings of <see cref="ActivationStatistics"/>.</summary>
/// <param name="Rule">What counts as active.</param>
/// <param name="Epsilon">The activity threshold ε (0: strictly positive / nonzero).</param>
/// <param name="Lower">The activation's infimum for saturation counts, or null when unbounded below (see <see cref="ActivationBounds"/>).</param>
/// <param name="Upper">The activation's supremum, or null when unbounded above.</param>
/// <param name="SaturationTolerance">A value within this distance of a bound counts as saturated there.</param>
public sealed record StatisticsOptions(ActivityRule Rule = ActivityRule.Positive, double Epsilon = 0,
    double? Lower = null, double? Upper = null, double SaturationTolerance = 0.01)
{
    internal void Validate()
    {
        if (!Enum.IsDefined(Rule)) throw new InvalidInputException($"activity rule {(int)Rule} is not Positive or Magnitude.", nameof(Rule));
        if (!(Epsilon >= 0) || double.IsInfinity(Epsilon)) throw new InvalidInputException($"activity threshold must be finite and ≥ 0; got {Epsilon}.", nameof(Epsilon));
        if (!(SaturationTolerance >= 0) || double.IsInfinity(SaturationTolerance))
            throw new InvalidInputException($"saturation tolerance must be finite and ≥ 0; got {SaturationTolerance}.", nameof(SaturationTolerance));
        if (Lower is double lo && Upper is double hi && !(lo < hi)) throw new InvalidInputException($"saturation bounds must satisfy lower < upper; got [{lo}, {hi}].", nameof(Lower));
    }

    internal bool IsActive(float v) => Rule == ActivityRule.Positive ? v > Epsilon : Math.Abs(v) > Epsilon;
}
