using Nonlinear.Activations;

namespace Nonlinear.Interpret.Statistics;

/// <summary>
/// The infimum and supremum of a catalog activation, for saturation counts. The catalog declares boundedness only as
/// flags (<see cref="ActivationProperties.BoundedBelow"/>, <see cref="ActivationProperties.BoundedAbove"/>), not values,
/// so the values are read off the bound activation's double reference <see cref="Activation.Reference"/>: for a
/// monotonic entry the limits f(∓10⁶) (hardtanh → −1, 1; relu6 → 0, 6; sigmoid → 0, 1), otherwise the extremes of f
/// over a 10⁻³ grid on [−60, 60] and at ±10⁶ (gaussian → 0, 1). A side the flags do not declare bounded stays null.
/// </summary>
public static class ActivationBounds
{
    private const double Far = 1e6, GridHalfWidth = 60, GridStep = 1e-3;

    /// <summary>The bounds of <paramref name="activation"/> at its bound parameters; null on an unbounded side.</summary>
    public static (double? Lower, double? Upper) Of(Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        var p = activation.Info.Properties;
        bool below = p.HasFlag(ActivationProperties.BoundedBelow), above = p.HasFlag(ActivationProperties.BoundedAbove);
        if (!below && !above) return (null, null);
        double lo, hi;
        if (p.HasFlag(ActivationProperties.Monotonic))
        {
            lo = activation.Reference(-Far);
            hi = activation.Reference(Far);
        }
        else
        {
            lo = Math.Min(activation.Reference(-Far), activation.Reference(Far));
            hi = Math.Max(activation.Reference(-Far), activation.Reference(Far));
            int steps = (int)(2 * GridHalfWidth / GridStep);
            for (int i = 0; i <= steps; i++)
            {
                double y = activation.Reference(-GridHalfWidth + i * GridStep);
                if (y < lo) lo = y;
                if (y > hi) hi = y;
            }
        }
        return (below && double.IsFinite(lo) ? lo : null, above && double.IsFinite(hi) ? hi : null);
    }

    /// <summary>Statistics options whose saturation bounds are those of <paramref name="activation"/>.</summary>
    public static StatisticsOptions For(Activation activation, StatisticsOptions? options = null)
    {
        var (lo, hi) = Of(activation);
        return (options ?? new StatisticsOptions()) with { Lower = lo, Upper = hi };
    }
}
