using Nonlinear.Kan.Symbolic;
using Nonlinear.Optim;

namespace Nonlinear.Kan.Interpret;

/// <summary>Settings of <see cref="KanFitPipeline.Run"/> (pykan's fit → prune → refine → auto_symbolic workflow).</summary>
/// <param name="Widths">Network widths [n₀, …, n_L].</param>
/// <param name="GridSchedule">B-spline grid sizes, coarse to fine (pykan's grid extension); one entry = no extension.</param>
/// <param name="Steps">Training steps per stage.</param>
/// <param name="Optimizer">LBFGS (pykan's default) or Adam.</param>
/// <param name="Regularization">Sparsity penalty of the first stage (a separate stage, before pruning, when λ &gt; 0).</param>
/// <param name="Prune">Prune nodes (threshold <paramref name="PruneThreshold"/>) after the first stage.</param>
/// <param name="PruneThreshold">Node threshold θ on |φ|₁.</param>
/// <param name="Symbolic">Replace every edge by its best library fit at the end and build the formula.</param>
/// <param name="Library">Candidate functions (null: <see cref="SymbolicLibrary.All"/>).</param>
/// <param name="Seed">Initialisation seed.</param>
/// <param name="GridUpdates">Grid updates from the samples during the first stage (pykan: every 5 steps in the first 50).</param>
/// <param name="Layer">Layer options (basis etc.); the grid size is taken from the schedule.</param>
/// <param name="Choice">How each edge's fit is chosen among the library candidates (null: defaults).</param>
/// <param name="SymbolicTolerance">The symbolic network counts as recovered only when its test RMSE is at most this factor
/// times the spline network's (or 1e-3 of the targets' standard deviation, whichever is larger).</param>
/// <param name="WarmupSteps">Full-batch Adam updates (lr 1e-2) before the first stage's own optimizer (0: none); the grid
/// updates of the first stage then happen during the warm-up. Default 200: LBFGS alone keeps most seeds of the KAN
/// paper's 4-D example in a pairing it does not leave (one hidden node nearly dead, the other carrying all four inputs),
/// and Adam's first steps move both nodes first (REPRODUCTIONS.md, "fit: defaults").</param>
public sealed record KanFitOptions(int[] Widths, int[] GridSchedule, int Steps = 50, FullBatchOptimizer Optimizer = FullBatchOptimizer.Lbfgs,
    KanRegularizationOptions? Regularization = null, bool Prune = false, double PruneThreshold = 1e-2, bool Symbolic = false,
    IReadOnlyList<SymbolicFunction>? Library = null, ulong Seed = 0, bool GridUpdates = true, KanOptions? Layer = null,
    SymbolicChoiceOptions? Choice = null, double SymbolicTolerance = 10, int WarmupSteps = 200)
{
    /// <summary>
    /// The defaults `nonlinear fit --formula/--csv` runs with when no flag is given, read by the command for its own
    /// defaults so that the library and the CLI fit the same way: kan:5 (widths [inputs, 5, 1]; two inputs here, the
    /// data sets the first width), one grid of 5, 50 LBFGS steps, 200 Adam warm-up steps, no sparsity stage or pruning.
    /// </summary>
    public static KanFitOptions Defaults { get; } = new([2, 5, 1], [5]);
}
