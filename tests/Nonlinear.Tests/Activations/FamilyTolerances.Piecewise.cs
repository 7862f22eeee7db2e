namespace Nonlinear.Tests.Activations;

/// <summary>Accuracy promises of the rectified, thresholding, shrinkage, clipped, polynomial and rational entries (null: the defaults in <see cref="ActivationTolerances"/>).</summary>
public static partial class FamilyTolerances
{
    /// <summary>Forward (Ulps, XUlps) for entries that need other than the default; say why next to each.</summary>
    public static (double Ulps, double XUlps)? PiecewiseForward(string name) => name switch
    {
        // s·relu(x)² + b cancels at its zero x = √(−b/s) ≈ 0.707: the rounding of s·r (½ ulp of ≈ 0.6) is absolute error there.
        "star_relu" => (4, 1),
        _ => null,
    };

    /// <summary>Backward (Ulps, Abs) for entries that need other than the default; say why next to each.</summary>
    public static (double Ulps, double Abs)? PiecewiseBackward(string name) => name switch
    {
        // eˣ·h + (eˣ − 1)·h′ crosses zero near x = −0.43, where its two terms (≈ ±0.17) cancel: absolute error at their scale.
        "hard_elish" => (6, 1),
        _ => null,
    };

    /// <summary>Relative rounding of an exponential's argument, in ulps (see <see cref="ActivationTolerances.ArgUlps"/>).</summary>
    public static double? PiecewiseArgUlps(string name) => name switch
    {
        _ => null,
    };
}
