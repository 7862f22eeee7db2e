namespace Nonlinear.Interpret.Sae;

/// <summary>The mean and the geometric median (argmin_m Σ_n ‖x_n − m‖) of the rows of a row-major matrix, in double.</summary>
internal static class GeometricMedian
{
    public static double[] Mean(float[] data, int rows, int d)
    {
        var m = new double[d];
        for (int r = 0; r < rows; r++) for (int j = 0; j < d; j++) m[j] += data[r * d + j];
        for (int j = 0; j < d; j++) m[j] /= rows;
        return m;
    }

    /// <summary>Weiszfeld's iteration m ← Σ w_n x_n / Σ w_n with w_n = 1/max(‖x_n − m‖, 1e-8), from <paramref name="start"/>, until it moves less than 1e-6 relative (at most 100 steps).</summary>
    public static double[] Weiszfeld(float[] data, int rows, int d, double[] start)
    {
        var m = (double[])start.Clone();
        var next = new double[d];
        for (int it = 0; it < 100; it++)
        {
            Array.Clear(next);
            double wsum = 0;
            for (int r = 0; r < rows; r++)
            {
                double ss = 0;
                for (int j = 0; j < d; j++) { double diff = data[r * d + j] - m[j]; ss += diff * diff; }
                double w = 1 / Math.Max(Math.Sqrt(ss), 1e-8);
                wsum += w;
                for (int j = 0; j < d; j++) next[j] += w * data[r * d + j];
            }
            double move = 0, size = 0;
            for (int j = 0; j < d; j++) { next[j] /= wsum; move += (next[j] - m[j]) * (next[j] - m[j]); size += next[j] * next[j]; }
            (m, next) = (next, m);
            if (Math.Sqrt(move) <= 1e-6 * Math.Max(1, Math.Sqrt(size))) break;
        }
        return m;
    }
}
