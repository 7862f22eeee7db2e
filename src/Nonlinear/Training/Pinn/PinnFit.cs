using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Training.Pinn;

/// <summary>Settings of <see cref="PinnFit.Run"/>.</summary>
/// <param name="Collocation">Interior points where the residual is enforced (uniform random, fixed for the run).</param>
/// <param name="BoundaryPoints">Boundary (and initial-time) points where u is held to its prescribed values.</param>
/// <param name="Steps">LBFGS steps (up to 20 iterations each) or Adam updates.</param>
/// <param name="Optimizer">LBFGS (strong Wolfe) or Adam.</param>
/// <param name="LearningRate">LBFGS lr (default 1) or Adam lr (default 1e-3).</param>
/// <param name="BoundaryWeight">Weight of the boundary loss against the residual loss (pykan's PDE example: α·boundary with α = 0.01 on a
/// residual of size ~π⁴; ours is 1 on the mean squares, scale-free because both losses are means).</param>
/// <param name="Seed">Seed of the point sampling.</param>
/// <param name="EvalGrid">Points per side of the evaluation grid (edges included).</param>
public sealed record PinnOptions(int Collocation = 1000, int BoundaryPoints = 200, int Steps = 100, FullBatchOptimizer Optimizer = FullBatchOptimizer.Lbfgs,
    double? LearningRate = null, double BoundaryWeight = 1, ulong Seed = 0, int EvalGrid = 101);

/// <summary>The losses after one step.</summary>
/// <param name="Step">0-based step.</param>
/// <param name="Loss">Residual loss + weight·boundary loss.</param>
/// <param name="Residual">mean(r²) over the collocation points.</param>
/// <param name="Boundary">mean((u − g)²) over the boundary points.</param>
public sealed record PinnStep(int Step, double Loss, double Residual, double Boundary);

/// <summary>The fitted field against the solution on the evaluation grid.</summary>
/// <param name="RelativeL2">‖u − u*‖₂/‖u*‖₂ over the grid.</param>
/// <param name="MaxError">max |u − u*| over the grid.</param>
/// <param name="Predicted">u [i, j] at (first_i, second_j).</param>
/// <param name="Solution">u* [i, j].</param>
/// <param name="History">The losses after every step.</param>
public sealed record PinnResult(double RelativeL2, double MaxError, double[,] Predicted, double[,] Solution, IReadOnlyList<PinnStep> History);

/// <summary>
/// Physics-informed fitting (Raissi, Perdikaris and Karniadakis, 2019): a network u(a, b) is trained so the PDE residual
/// vanishes at collocation points and u takes its boundary/initial values, the derivatives of u with respect to its
/// inputs coming from createGraph autodiff (<see cref="PdeFields"/>). The coordinates are mapped affinely onto [−1, 1]²
/// before the network (the KAN grid's default range); the map is recorded, so the chain rule includes it.
/// </summary>
public static class PinnFit
{
    /// <summary>Trains <paramref name="model"/> (2 inputs, 1 output, rows independent) on <paramref name="problem"/>.</summary>
    /// <exception cref="ArgumentException">Counts out of range.</exception>
    public static PinnResult Run(Module model, PdeProblem problem, PinnOptions options, Action<PinnStep>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Collocation < 1 || options.BoundaryPoints < 3 || options.Steps < 0 || options.EvalGrid < 2)
            throw new ArgumentException($"PinnOptions need Collocation ≥ 1, BoundaryPoints ≥ 3, Steps ≥ 0, EvalGrid ≥ 2; got {options}.", nameof(options));
        var rng = new Rng(options.Seed);
        var interior = Interior(problem, options.Collocation, rng);
        var (boundary, values) = Boundary(problem, options.BoundaryPoints, rng);
        var ps = model.Parameters().ToArray();
        var history = new List<PinnStep>();
        double residualLoss = 0, boundaryLoss = 0;
        float weight = (float)options.BoundaryWeight;

        double Closure()
        {
            foreach (var p in ps) if (p.Grad is not null) p.Grad.AsSpan().Clear();
            var pts = Tensor.FromArray(interior.ToArray(), interior.Shape.ToArray()).RequireGrad();
            var fields = new PdeFields(pts, model.Call(Normalise(problem, pts)));
            var r = problem.Residual(fields);
            var lr = Ops.Mean(Ops.Mul(r, r));
            var db = Ops.Sub(Ops.Reshape(model.Call(Normalise(problem, boundary)), -1), values);
            var lb = Ops.Mean(Ops.Mul(db, db));
            var loss = Ops.Add(lr, Ops.MulScalar(lb, weight));
            loss.Backward();
            residualLoss = lr.Item();
            boundaryLoss = lb.Item();
            return residualLoss + weight * boundaryLoss;
        }

        if (options.Optimizer == FullBatchOptimizer.Lbfgs)
        {
            var opt = new Lbfgs(ps, new LbfgsOptions(LearningRate: options.LearningRate ?? 1, MaxIterations: 20, HistorySize: 10,
                ToleranceGrad: 1e-32, ToleranceChange: 1e-32));
            for (int s = 0; s < options.Steps; s++)
            {
                opt.Step(Closure);
                Report(s);
            }
        }
        else
        {
            var opt = new Adam(ps, options.LearningRate ?? 1e-3);
            for (int s = 0; s < options.Steps; s++)
            {
                Closure();
                opt.Step();
                Report(s);
            }
        }

        void Report(int s)
        {
            var step = new PinnStep(s, residualLoss + weight * boundaryLoss, residualLoss, boundaryLoss);
            history.Add(step);
            onStep?.Invoke(step);
        }
        return Evaluate(model, problem, options.EvalGrid, history);
    }

    /// <summary>u on an n×n grid over the problem's box against its solution.</summary>
    public static PinnResult Evaluate(Module model, PdeProblem problem, int n, IReadOnlyList<PinnStep> history)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(problem);
        var (a0, b0) = problem.Lower;
        var (a1, b1) = problem.Upper;
        var grid = new float[n * n * 2];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                grid[2 * (i * n + j)] = (float)(a0 + (a1 - a0) * i / (n - 1));
                grid[2 * (i * n + j) + 1] = (float)(b0 + (b1 - b0) * j / (n - 1));
            }
        float[] u;
        using (Autograd.NoGrad()) u = model.Call(Normalise(problem, Tensor.FromArray(grid, n * n, 2))).ToArray();
        var pred = new double[n, n];
        var sol = new double[n, n];
        double se = 0, ss = 0, max = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double exact = problem.Solution(grid[2 * (i * n + j)], grid[2 * (i * n + j) + 1]);
                pred[i, j] = u[i * n + j];
                sol[i, j] = exact;
                double e = pred[i, j] - exact;
                se += e * e;
                ss += exact * exact;
                max = Math.Max(max, Math.Abs(e));
            }
        return new PinnResult(Math.Sqrt(se / ss), max, pred, sol, history);
    }

    // (p − lower)·2/(upper − lower) − 1, column-wise, as recorded ops.
    private static Tensor Normalise(PdeProblem problem, Tensor p)
    {
        var (a0, b0) = problem.Lower;
        var (a1, b1) = problem.Upper;
        var scale = Tensor.From((float)(2 / (a1 - a0)), (float)(2 / (b1 - b0)));
        var shift = Tensor.From((float)(-2 * a0 / (a1 - a0) - 1), (float)(-2 * b0 / (b1 - b0) - 1));
        return Ops.Add(Ops.Mul(p, scale), shift);
    }

    private static Tensor Interior(PdeProblem problem, int n, Rng rng)
    {
        var (a0, b0) = problem.Lower;
        var (a1, b1) = problem.Upper;
        var v = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            v[2 * i] = (float)(a0 + (a1 - a0) * rng.NextDouble());
            v[2 * i + 1] = (float)(b0 + (b1 - b0) * rng.NextDouble());
        }
        return Tensor.FromArray(v, n, 2);
    }

    // Dirichlet edges: all four sides, or for an evolution equation the two x-sides and t = t₀ (the initial values).
    private static (Tensor Points, Tensor Values) Boundary(PdeProblem problem, int n, Rng rng)
    {
        var (a0, b0) = problem.Lower;
        var (a1, b1) = problem.Upper;
        int sides = problem.IsEvolution ? 3 : 4;
        var pts = new float[2 * n];
        var val = new float[n];
        for (int i = 0; i < n; i++)
        {
            double ta = a0 + (a1 - a0) * rng.NextDouble(), tb = b0 + (b1 - b0) * rng.NextDouble();
            (double a, double b) = (i % sides) switch
            {
                0 => (a0, tb),
                1 => (a1, tb),
                2 => (ta, b0),
                _ => (ta, b1),
            };
            pts[2 * i] = (float)a;
            pts[2 * i + 1] = (float)b;
            val[i] = (float)problem.BoundaryValue(a, b);
        }
        return (Tensor.FromArray(pts, n, 2), Tensor.FromArray(val, n));
    }
}
