using Nonlinear.Kernels;

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
        // Normal equations in the lower triangle of a [d, d] and b [d, k], row-major, factored in place.
        var a = new double[d * d];
        var b = new double[d * k];
        for (int t = 0; t < r; t++)
            for (int i = 0; i < d; i++)
            {
                double xi = x[t, i];
                if (xi == 0) continue;
                for (int j = 0; j <= i; j++) a[i * d + j] += xi * x[t, j];
                for (int o = 0; o < k; o++) b[i * k + o] += xi * y[t, o];
            }
        for (int i = 0; i < d; i++) a[i * d + i] += lambda;
        int bad = Cholesky.Factor(a, d, CholeskyPivot.Refuse);
        if (bad >= 0) throw new InvalidOperationException($"ridge system is not positive definite at column {bad}; increase the ridge penalty (λ = {lambda}).");
        Cholesky.Solve(a, d, b, k);
        var w = new double[k * d];
        for (int i = 0; i < d; i++) for (int o = 0; o < k; o++) w[o * d + i] = b[i * k + o];
        return w;
    }
}
