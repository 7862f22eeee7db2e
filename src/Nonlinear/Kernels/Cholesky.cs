namespace Nonlinear.Kernels;

/// <summary>What a Cholesky factorisation does with a pivot that is not positive (a semi-definite or indefinite matrix).</summary>
internal enum CholeskyPivot
{
    /// <summary>Stop and report the column: the caller refuses the system (ridge read-outs with λ = 0 and collinear features).</summary>
    Refuse,

    /// <summary>Raise every pivot to at least 1e-12·max(1, |a_jj|): a tiny relative jitter for normal equations that may be singular by construction.</summary>
    Jitter,

    /// <summary>Use 1e-300: the direction is treated as absent, so its coefficient comes out ≈ 0 (least squares with empty supports).</summary>
    Absent,
}

/// <summary>
/// Dense Cholesky factorisation and solve in double for the small symmetric positive-definite systems of the library
/// (normal equations of probes, ridge read-outs and curve fits). One implementation, so the three callers differ only
/// in their <see cref="CholeskyPivot"/> rule.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Overwrites the lower triangle of the symmetric matrix <paramref name="a"/> [n, n] (row-major; only the lower
    /// triangle is read) with L, A = L·Lᵀ. Returns −1, or with <see cref="CholeskyPivot.Refuse"/> the first column
    /// whose pivot was not positive (the factor is then incomplete).
    /// </summary>
    public static int Factor(Span<double> a, int n, CholeskyPivot rule)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j], diagonal = d;
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (rule == CholeskyPivot.Jitter) d = Math.Max(d, 1e-12 * Math.Max(1, Math.Abs(diagonal)));
            else if (!(d > 0))
            {
                if (rule == CholeskyPivot.Refuse) return j;
                d = 1e-300;
            }
            double l = Math.Sqrt(d);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / l;
            }
        }
        return -1;
    }

    /// <summary>Solves L·Lᵀ·X = B in place for B [n, cols] (row-major), with L from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> l, int n, Span<double> b, int cols)
    {
        for (int c = 0; c < cols; c++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = b[i * cols + c];
                for (int k = 0; k < i; k++) s -= l[i * n + k] * b[k * cols + c];
                b[i * cols + c] = s / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double s = b[i * cols + c];
                for (int k = i + 1; k < n; k++) s -= l[k * n + i] * b[k * cols + c];
                b[i * cols + c] = s / l[i * n + i];
            }
        }
    }
}
