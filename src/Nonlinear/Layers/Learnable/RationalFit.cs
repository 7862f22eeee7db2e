using System.Globalization;
using Nonlinear.Kernels.Learnable;

namespace Nonlinear.Layers.Learnable;

/// <summary>Where a rational fit is asked to match its target.</summary>
public enum RationalFitMode
{
    /// <summary>Least squares on [lo, hi] only: the closest fit there, unconstrained outside.</summary>
    Range,
    /// <summary>
    /// The safer fit: least squares on the range widened by its width on each side ([lo−w, hi+w], w = hi−lo), with
    /// weight 1 inside [lo, hi] and 1/4 outside. It gives up some accuracy inside to keep P/Q near the target for
    /// inputs that drift out of the range during training (our choice among the options: it needs no constraint
    /// solver and works for every target; a pinned leading-coefficient ratio only fixes the far tail's slope).
    /// </summary>
    Wide,
}

/// <summary>
/// The result of <see cref="Rational.FitTo"/>: coefficients (double) and how good they are inside and outside the range.
/// </summary>
public sealed record RationalFit(
    string Target, double Lo, double Hi, int M, int N, RationalForm Form, RationalFitMode Mode,
    double[] Numerator, double[] Denominator,
    double MaxError, double RmsError, double OutsideMaxError, double TailCoefficient)
{
    /// <summary>
    /// Always set: a rational function matches its target only where it was fitted. States the error just outside the
    /// range (on [lo−w, lo] ∪ [hi, hi+w]) and the growth P/Q ~ c·x^(m−n) as |x| → ∞; points at <see cref="RationalFitMode.Wide"/>.
    /// </summary>
    public string Warning => FormattableString.Invariant(
        $"rational ({M},{N}) fit to {Target} is accurate only on [{Lo:g4}, {Hi:g4}] (max error {MaxError:g3}); within one range width outside it the error reaches {OutsideMaxError:g3}, and as |x| → ∞ P/Q grows like {TailCoefficient:g3}·x^{M - N}")
        + (Mode == RationalFitMode.Range ? "; RationalFitMode.Wide (CLI: pau(fit=wide)) trades accuracy inside for a fit over a 3× wider range." : ".");

    /// <summary>"rational (5,4) fit to gelu on [-3, 3]: max error …".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"rational ({M},{N}) {Form} fit to {Target} on [{Lo:g4}, {Hi:g4}] ({Mode}): max error {MaxError:g3}, rms {RmsError:g3}, outside max error {OutsideMaxError:g3}");
}
