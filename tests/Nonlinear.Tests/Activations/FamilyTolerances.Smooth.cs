namespace Nonlinear.Tests.Activations;

/// <summary>Accuracy promises of the sigmoidal, self-gated, exponential, periodic and radial entries (null: the defaults in <see cref="ActivationTolerances"/>).</summary>
public static partial class FamilyTolerances
{
    /// <summary>Forward (Ulps, XUlps) for entries that need other than the default; say why next to each.</summary>
    public static (double Ulps, double XUlps)? SmoothForward(string name) => name switch
    {
        _ => null,
    };

    /// <summary>Backward (Ulps, Abs) for entries that need other than the default; say why next to each.</summary>
    public static (double Ulps, double Abs)? SmoothBackward(string name) => name switch
    {
        _ => null,
    };

    /// <summary>Relative rounding of an exponential's argument, in ulps (see <see cref="ActivationTolerances.ArgUlps"/>).</summary>
    public static double? SmoothArgUlps(string name) => name switch
    {
        _ => null,
    };
}
