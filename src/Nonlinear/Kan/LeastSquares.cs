using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>Small dense least squares in double for curve fitting (pykan's curve2coef).</summary>
public static class LeastSquares
{
    /// <summary>
    /// Solves min_X ‖A·X − Y‖² + λ‖X‖² for A [rows, cols] and Y [rows, rhs] (row-major) by the normal equations
    /// (AᵀA + λI)·X = AᵀY with a Cholesky factorisation; X is written to <paramref name="x"/> [cols, rhs].
    /// </summary>
    /// <remarks>
    /// λ &gt; 0 keeps the system positive definite when a basis function has no sample in its support (or when there
    /// are fewer samples than unknowns, as at pykan's initialisation, where it picks the near-minimum-norm solution).
    /// λ is scaled by the mean diagonal of AᵀA so it means the same whatever the number of rows.
    /// </remarks>
    public static void SolveRidge(ReadOnlySpan<double> a, int rows, int cols, ReadOnlySpan<double> y, int rhs, double lambda, Span<double> x)
    {
        if (a.Length < rows * cols) throw new ArgumentException($"a has {a.Length} values; expected rows·cols = {rows * cols}.", nameof(a));
        if (y.Length < rows * rhs) throw new ArgumentException($"y has {y.Length} values; expected rows·rhs = {rows * rhs}.", nameof(y));
        if (x.Length < cols * rhs) throw new ArgumentException($"x has {x.Length} values; expected cols·rhs = {cols * rhs}.", nameof(x));
        if (!(lambda >= 0)) throw new ArgumentException($"lambda must be ≥ 0; got {lambda}.", nameof(lambda));
        var m = new double[cols * cols];
        var b = new double[cols * rhs];
        for (int r = 0; r < rows; r++)
        {
            var ar = a.Slice(r * cols, cols);
            var yr = y.Slice(r * rhs, rhs);
            for (int p = 0; p < cols; p++)
            {
                double ap = ar[p];
                if (ap == 0) continue;
                for (int q = p; q < cols; q++) m[p * cols + q] += ap * ar[q];
                for (int s = 0; s < rhs; s++) b[p * rhs + s] += ap * yr[s];
            }
        }
        double trace = 0;
        for (int p = 0; p < cols; p++) trace += m[p * cols + p];
        double ridge = lambda * Math.Max(trace / cols, 1e-300);
        for (int p = 0; p < cols; p++)
        {
            m[p * cols + p] += ridge;
            for (int q = 0; q < p; q++) m[p * cols + q] = m[q * cols + p];
        }
        // Only reachable with λ = 0 and a rank-deficient A: a non-positive pivot treats the direction as absent.
        Cholesky.Factor(m, cols, CholeskyPivot.Absent);
        Cholesky.Solve(m, cols, b, rhs);
        b.AsSpan(0, cols * rhs).CopyTo(x);
    }
}
