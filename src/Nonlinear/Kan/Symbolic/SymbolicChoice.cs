namespace Nonlinear.Kan.Symbolic;

/// <summary>Settings of <see cref="SymbolicChoice.Choose"/>.</summary>
/// <param name="ErrorFactor">A candidate is admissible when its unexplained variance 1 − R² is at most this factor times the
/// best non-degenerate candidate's (but at most 1e-3 above it; and always when at most <paramref name="ErrorFloor"/>).</param>
/// <param name="ErrorFloor">1 − R² below which every candidate counts as exact (spline edges are only that accurate).</param>
/// <param name="MinSpan">A fit c·f(a·x + b) + d is degenerate when the argument's span |a|·(max x − min x) is below
/// MinSpan·(1 + |centre of a·x + b|) (5·MinSpan for sin, cos, tan and exp, which a shift only rescales): f is then only used through its local Taylor polynomial (a huge c times a nearly
/// flat f, e.g. 711600·cos(0.002971·x) standing in for x²).</param>
/// <param name="MinR2">Below this R², no library function explains the edge: the fit is kept but flagged.</param>
/// <param name="ErrorSlack">The most 1 − R² of an admissible candidate may exceed the best one's, whatever
/// <paramref name="ErrorFactor"/> allows (else "10× of 0.1" would admit anything).</param>
public sealed record SymbolicChoiceOptions(double ErrorFactor = 10, double ErrorFloor = 1e-6, double MinSpan = 0.1, double MinR2 = 0.99, double ErrorSlack = 1e-3)
{
    /// <summary>
    /// The choice of the layer-by-layer symbolic attempt: a simple candidate within 1 − R² ≤ best + 2e-2 wins (flagged
    /// below R² 0.95), since retraining the later spline layers and the joint refinement of the constants absorb its
    /// small misfit (pykan weighs complexity the same way; a KAN's x·y only appears once its first layer is exactly
    /// linear). The attempt is kept only when it ends with the lower training RMSE.
    /// </summary>
    public static SymbolicChoiceOptions PreferSimple { get; } = new(ErrorFactor: 1e4, MinR2: 0.95, ErrorSlack: 2e-2);
}

/// <summary>The outcome of <see cref="SymbolicChoice.Choose"/> for one edge.</summary>
/// <param name="Chosen">The fit that replaces the edge.</param>
/// <param name="Best">The candidate with the highest R² (degenerate ones included), reported beside the chosen one.</param>
/// <param name="Warning">Why the chosen fit should not be trusted as recovered, or null.</param>
public sealed record SymbolicChoiceResult(SymbolicFit Chosen, SymbolicFit Best, string? Warning);

/// <summary>
/// Complexity-aware choice among the library fits of one edge, replacing pykan's single score
/// w·complexity + (1−w)·log₂(1 − R²) (which prefers a constant to any fit with R² &lt; 0.94, and cannot tell x² from a
/// flat cosine): (1) degenerate fits — an argument a·x + b that spans a tiny fraction of its own magnitude — are set
/// aside, since f then acts only through its Taylor polynomial and the formula misstates the function; (2) of the rest,
/// those whose 1 − R² is within <see cref="SymbolicChoiceOptions.ErrorFactor"/> of the best are admissible; (3) the
/// simplest admissible one wins (ties: a power of x, then higher R²). The zero function is chosen only for an edge whose variation is
/// negligible, and never silently: a caller that knows the edge's scale (see <see cref="Choose"/>) gets a warning.
/// </summary>
public static class SymbolicChoice
{
    private static readonly HashSet<string> ShiftInvariant = ["sin", "cos", "tan", "exp"];

    private static bool IsPower(SymbolicFunction f) => f.Name is "x" or "x^2" or "x^3" or "x^4" or "x^5";

    /// <summary>True when the fit's argument a·x + b barely moves over [<paramref name="xMin"/>, <paramref name="xMax"/>].</summary>
    public static bool IsDegenerate(SymbolicFit fit, double xMin, double xMax, double minSpan = 0.1)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (fit.Function.IsIdentity || fit.Function.IsZero) return false;
        double span = Math.Abs(fit.A) * (xMax - xMin);
        // Periodic functions and the exponential family are shift-invariant up to c and d (sin(u + 2πk), eᵇ·eᵃˣ): only the
        // span says whether f's shape is used. Powers, roots, logs and the rest are flat far from their origin.
        if (ShiftInvariant.Contains(fit.Function.Name)) return !(span >= 5 * minSpan);
        double centre = fit.A * (xMax + xMin) / 2 + fit.B;
        return !(span >= minSpan * (1 + Math.Abs(centre)));
    }

    /// <summary>
    /// Chooses among <paramref name="candidates"/> (as returned by <see cref="EdgeSymbolicFitter.Suggest"/>) for an edge
    /// seen on inputs in [<paramref name="xMin"/>, <paramref name="xMax"/>]. <paramref name="relativeVariation"/> is the
    /// edge's output range divided by the largest output range among the edges into the same node (1 when unknown); an
    /// edge below 1e-3 of that is replaced by its mean with a warning that says so.
    /// </summary>
    /// <exception cref="ArgumentException">No candidates.</exception>
    public static SymbolicChoiceResult Choose(IReadOnlyList<SymbolicFit> candidates, double xMin, double xMax, double relativeVariation = 1,
        SymbolicChoiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0) throw new ArgumentException("no candidate fits to choose from.", nameof(candidates));
        options ??= new SymbolicChoiceOptions();
        var best = candidates.MaxBy(c => c.R2)!;
        var zero = candidates.FirstOrDefault(c => c.Function.IsZero);
        if (zero is not null && relativeVariation < 1e-3)
            return new SymbolicChoiceResult(zero, best, $"near-constant edge (variation {relativeVariation:0.0e+00} of the node's largest edge) replaced by the constant {zero.D:G4}");
        var live = candidates.Where(c => !c.Function.IsZero && !IsDegenerate(c, xMin, xMax, options.MinSpan)).ToList();
        if (live.Count == 0)
        {
            var fallback = candidates.Where(c => !c.Function.IsZero).MaxBy(c => c.R2) ?? best;
            return new SymbolicChoiceResult(fallback, best, $"every library fit is degenerate or constant (kept {fallback.Function.Name}, R² {fallback.R2:F6})");
        }
        double bestErr = Math.Max(1 - live.Max(c => c.R2), 0);
        // Relative slack for good fits, at most ErrorSlack of variance for poor ones (else "10× of 0.1" would admit anything).
        double limit = Math.Max(Math.Min(options.ErrorFactor * bestErr, bestErr + options.ErrorSlack), options.ErrorFloor);
        // Ties in complexity go to a power of x before R²: a parabola is also a sine or cosine near its extremum with a
        // marginally higher R², and x² is the law where sin(0.63·x + 7.4) is only its local shape.
        var chosen = live.Where(c => 1 - c.R2 <= limit).OrderBy(c => c.Function.Complexity).ThenBy(c => IsPower(c.Function) ? 0 : 1)
            .ThenByDescending(c => c.R2).First();
        string? warning = chosen.R2 < options.MinR2 ? $"no library function explains this edge (best R² {chosen.R2:F4})" : null;
        return new SymbolicChoiceResult(chosen, best, warning);
    }
}
