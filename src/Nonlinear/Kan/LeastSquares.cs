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
        // Cholesky m = L·Lᵀ in place (lower triangle).
        for (int j = 0; j < cols; j++)
        {
            double d = m[j * cols + j];
            for (int k = 0; k < j; k++) d -= m[j * cols + k] * m[j * cols + k];
            if (!(d > 0)) d = 1e-300;   // only reachable with λ = 0 and a rank-deficient A: treat the direction as absent
            double l = Math.Sqrt(d);
            m[j * cols + j] = l;
            for (int i = j + 1; i < cols; i++)
            {
                double s = m[i * cols + j];
                for (int k = 0; k < j; k++) s -= m[i * cols + k] * m[j * cols + k];
                m[i * cols + j] = s / l;
            }
        }
        for (int s = 0; s < rhs; s++)
        {
            for (int i = 0; i < cols; i++)
            {
                double v = b[i * rhs + s];
                for (int k = 0; k < i; k++) v -= m[i * cols + k] * b[k * rhs + s];
                b[i * rhs + s] = v / m[i * cols + i];
            }
            for (int i = cols - 1; i >= 0; i--)
            {
                double v = b[i * rhs + s];
                for (int k = i + 1; k < cols; k++) v -= m[k * cols + i] * b[k * rhs + s];
                b[i * rhs + s] = v / m[i * cols + i];
            }
            for (int i = 0; i < cols; i++) x[i * rhs + s] = b[i * rhs + s];
        }
    }
}
