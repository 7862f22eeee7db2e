namespace Nonlinear.Interpret.Sae;

/// <summary>Solves A·X = B for symmetric positive-definite A [p, p] (row-major, double) by Cholesky; B is [p, cols].</summary>
internal static class Cholesky
{
    public static double[] Solve(double[] a, int p, double[] b, int cols)
    {
        var l = new double[p * p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * p + j];
                for (int k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
                if (i == j)
                {
                    // A semi-definite matrix (a constant input column without ridge) gets a tiny jitter instead of a NaN.
                    l[i * p + i] = Math.Sqrt(Math.Max(s, 1e-12 * Math.Max(1, Math.Abs(a[i * p + i]))));
                }
                else l[i * p + j] = s / l[j * p + j];
            }
        var x = (double[])b.Clone();
        for (int c = 0; c < cols; c++)
        {
            for (int i = 0; i < p; i++)
            {
                double s = x[i * cols + c];
                for (int k = 0; k < i; k++) s -= l[i * p + k] * x[k * cols + c];
                x[i * cols + c] = s / l[i * p + i];
            }
            for (int i = p - 1; i >= 0; i--)
            {
                double s = x[i * cols + c];
                for (int k = i + 1; k < p; k++) s -= l[k * p + i] * x[k * cols + c];
                x[i * cols + c] = s / l[i * p + i];
            }
        }
        return x;
    }
}
