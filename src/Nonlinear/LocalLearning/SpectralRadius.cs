namespace Nonlinear.LocalLearning;

/// <summary>
/// The spectral radius max |λᵢ| of a real square matrix by power iteration that also handles a dominant complex pair:
/// after the iterates align with the dominant invariant subspace, x₂ = A·x₁ and x₁ = A·x₀ satisfy x₂ ≈ p·x₁ + q·x₀,
/// where λ² − pλ − q = 0 has the dominant eigenvalue(s) as roots (a real λ, or λ and λ̄ with p = 2 Re λ, q = −|λ|²).
/// p and q are the least-squares fit; the radius is the larger root magnitude. Plain power iteration would oscillate
/// forever on random reservoir matrices, whose dominant eigenvalues are usually a complex pair.
/// </summary>
public static class SpectralRadius
{
    /// <summary>The spectral radius of <paramref name="multiply"/>'s matrix (y = A·x for vectors of length <paramref name="n"/>).</summary>
    /// <param name="n">The matrix order.</param>
    /// <param name="multiply">Writes A·x into y.</param>
    /// <param name="seed">Start vector seed.</param>
    /// <param name="tolerance">Stop when two fits 100 iterations apart agree to this relative difference (convergence goes
    /// as (|λ₃|/|λ₁|)^k, slow for large random matrices whose outer eigenvalues crowd the circle).</param>
    /// <param name="maxIterations">Iteration cap.</param>
    public static double Estimate(int n, Action<double[], double[]> multiply, ulong seed = 1, double tolerance = 1e-9, int maxIterations = 100_000)
    {
        ArgumentNullException.ThrowIfNull(multiply);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "matrix order must be ≥ 1.");
        var rng = new Tensors.Rng(seed);
        var x0 = new double[n];
        var x1 = new double[n];
        var x2 = new double[n];
        for (int i = 0; i < n; i++) x0[i] = rng.NextGaussian();
        Normalize(x0);
        double previous = double.NaN;
        for (int k = 1; k <= maxIterations; k++)
        {
            multiply(x0, x1);
            if (Normalize(x1) == 0) return 0; // nilpotent on this start: A^k x = 0
            (x0, x1) = (x1, x0);
            if (k % 100 != 0 && k != maxIterations) continue;
            double estimate = Fit(x0, x1, x2, multiply);
            if (Math.Abs(estimate - previous) <= tolerance * estimate) return estimate;
            previous = estimate;
        }
        return previous;
    }

    private static double Fit(double[] x0, double[] x1, double[] x2, Action<double[], double[]> multiply)
    {
        multiply(x0, x1);
        multiply(x1, x2);
        // Normal equations of min ‖x₂ − p·x₁ − q·x₀‖ (2×2).
        double a11 = Dot(x1, x1), a12 = Dot(x1, x0), a22 = Dot(x0, x0), b1 = Dot(x1, x2), b2 = Dot(x0, x2);
        double det = a11 * a22 - a12 * a12;
        if (Math.Abs(det) <= 1e-12 * a11 * a22)
            return Math.Sqrt(a11 / a22); // x₁ ∥ x₀: a real dominant eigenvalue, |λ| = ‖A·x₀‖/‖x₀‖
        double p = (b1 * a22 - b2 * a12) / det, q = (a11 * b2 - a12 * b1) / det;
        double disc = p * p + 4 * q;
        if (disc < 0) return Math.Sqrt(-q);                   // complex pair: |λ|² = −q
        double r = Math.Sqrt(disc);
        return Math.Max(Math.Abs(p + r), Math.Abs(p - r)) / 2;
    }

    private static double Normalize(double[] x)
    {
        double norm = Math.Sqrt(Dot(x, x));
        if (norm == 0) return 0;
        for (int i = 0; i < x.Length; i++) x[i] /= norm;
        return norm;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
