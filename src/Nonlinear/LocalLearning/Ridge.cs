namespace Nonlinear.LocalLearning;

/// <summary>Closed-form ridge regression W = Yᵀ·X·(XᵀX + λI)⁻¹ by a Cholesky factorisation in double.</summary>
public static class Ridge
{
    /// <summary>
    /// The weights [K, D] (row-major) minimising ‖X·Wᵀ − Y‖² + λ‖W‖² for features X [R, D] and targets Y [R, K].
    /// </summary>
    /// <exception cref="InvalidOperationException">XᵀX + λI is not positive definite (λ = 0 with collinear features).</exception>
    public static double[] Solve(double[,] x, double[,] y, double lambda)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int r = x.GetLength(0), d = x.GetLength(1), k = y.GetLength(1);
        if (y.GetLength(0) != r) throw new ArgumentException($"X has {r} rows and Y {y.GetLength(0)}.", nameof(y));
        var a = new double[d, d];
        var b = new double[d, k];
        for (int t = 0; t < r; t++)
            for (int i = 0; i < d; i++)
            {
                double xi = x[t, i];
                if (xi == 0) continue;
                for (int j = 0; j <= i; j++) a[i, j] += xi * x[t, j];
                for (int o = 0; o < k; o++) b[i, o] += xi * y[t, o];
            }
        for (int i = 0; i < d; i++) a[i, i] += lambda;
        // Cholesky A = L·Lᵀ in the lower triangle.
        for (int j = 0; j < d; j++)
        {
            double s = a[j, j];
            for (int p = 0; p < j; p++) s -= a[j, p] * a[j, p];
            if (!(s > 0)) throw new InvalidOperationException($"ridge system is not positive definite at column {j}; increase the ridge penalty (λ = {lambda}).");
            double l = Math.Sqrt(s);
            a[j, j] = l;
            for (int i = j + 1; i < d; i++)
            {
                double v = a[i, j];
                for (int p = 0; p < j; p++) v -= a[i, p] * a[j, p];
                a[i, j] = v / l;
            }
        }
        var w = new double[k * d];
        var z = new double[d];
        for (int o = 0; o < k; o++)
        {
            for (int i = 0; i < d; i++)
            {
                double v = b[i, o];
                for (int p = 0; p < i; p++) v -= a[i, p] * z[p];
                z[i] = v / a[i, i];
            }
            for (int i = d - 1; i >= 0; i--)
            {
                double v = z[i];
                for (int p = i + 1; p < d; p++) v -= a[p, i] * w[o * d + p];
                w[o * d + i] = v / a[i, i];
            }
        }
        return w;
    }
}
