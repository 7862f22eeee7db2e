namespace Nonlinear.Interpret.Statistics;

/// <summary>
/// The statistics of one unit (or, from <see cref="ActivationStatistics.Layer"/>, of all a layer's values together).
/// NaN values are counted in <see cref="NaNCount"/> and left out of everything else: the fractions are of the
/// <see cref="Moments"/>.Count non-NaN values. ±∞ values take part (min/max; moments then are ±∞ or NaN).
/// </summary>
/// <param name="Moments">Count, mean and central sums (variance, kurtosis) of the non-NaN values.</param>
/// <param name="Min">Smallest value (+∞ when there is none).</param>
/// <param name="Max">Largest value (−∞ when there is none).</param>
/// <param name="Zeros">Values exactly 0 (either sign).</param>
/// <param name="Active">Values that count as active under the options' rule.</param>
/// <param name="NaNCount">NaN values seen.</param>
/// <param name="AtLower">Values within the tolerance of the lower bound (0 without a bound).</param>
/// <param name="AtUpper">Values within the tolerance of the upper bound (0 without a bound).</param>
public readonly record struct UnitStatistics(Moments Moments, double Min, double Max, long Zeros, long Active, long NaNCount, long AtLower, long AtUpper)
{
    /// <summary>Mean.</summary>
    public double Mean => Moments.Count == 0 ? double.NaN : Moments.Mean;
    /// <summary>Population variance.</summary>
    public double Variance => Moments.Variance;
    /// <summary>Excess kurtosis.</summary>
    public double Kurtosis => Moments.Kurtosis;
    /// <summary>Fraction of values exactly zero.</summary>
    public double ZeroFraction => Fraction(Zeros);
    /// <summary>Fraction of values active.</summary>
    public double ActiveFraction => Fraction(Active);
    /// <summary>Fraction of values saturated at the lower bound.</summary>
    public double LowerSaturation => Fraction(AtLower);
    /// <summary>Fraction of values saturated at the upper bound.</summary>
    public double UpperSaturation => Fraction(AtUpper);
    /// <summary>Fraction saturated at either bound.</summary>
    public double Saturation => Fraction(AtLower + AtUpper);
    /// <summary>Never active over the set (and at least one non-NaN value seen).</summary>
    public bool IsDead => Moments.Count > 0 && Active == 0;

    private double Fraction(long k) => Moments.Count == 0 ? double.NaN : (double)k / Moments.Count;

    /// <summary>Both parts together.</summary>
    public static UnitStatistics Merge(in UnitStatistics a, in UnitStatistics b) => new(
        Moments.Merge(a.Moments, b.Moments), Math.Min(a.Min, b.Min), Math.Max(a.Max, b.Max), a.Zeros + b.Zeros, a.Active + b.Active,
        a.NaNCount + b.NaNCount, a.AtLower + b.AtLower, a.AtUpper + b.AtUpper);

    /// <summary>No values.</summary>
    public static UnitStatistics Empty => new(default, double.PositiveInfinity, double.NegativeInfinity, 0, 0, 0, 0, 0);
}
