namespace Nonlinear.Kan.Symbolic;

/// <summary>
/// Levenberg–Marquardt refinement of (a, b, c, d) in y ≈ c·f(a·x + b) + d, in double. f′ is a central difference
/// (the library holds non-smooth functions such as sgn and relu, where it is 0 or a one-sided slope). A step is kept
/// only if the SSE is finite and smaller, so the refinement can never make a fit worse or leave f's domain.
/// </summary>
internal static class LevenbergMarquardt
{
    internal static void Refine(double[] x, double[] y, Func<double, double> f, ref double a, ref double b, ref double c, ref double d, ref double sse, int iterations)
    {
        int n = x.Length;
        double lambda = 1e-3;
        var jtj = new double[16];
        var jtr = new double[4];
        var row = new double[4];
        for (int it = 0; it < iterations; it++)
        {
            Array.Clear(jtj); Array.Clear(jtr);
            for (int k = 0; k < n; k++)
            {
                double u = a * x[k] + b, fu = f(u);
                double h = 1e-6 * (1 + Math.Abs(u));
                double fp = (f(u + h) - f(u - h)) / (2 * h);
                if (!double.IsFinite(fp)) fp = 0; // at a domain edge: move a, b only through c, d's fit
                row[0] = c * fp * x[k]; row[1] = c * fp; row[2] = fu; row[3] = 1;
                double r = c * fu + d - y[k];
                for (int i = 0; i < 4; i++)
                {
                    jtr[i] += row[i] * r;
                    for (int j = 0; j < 4; j++) jtj[i * 4 + j] += row[i] * row[j];
                }
            }
            bool improved = false;
            for (int attempt = 0; attempt < 8 && !improved; attempt++)
            {
                var m = (double[])jtj.Clone();
                for (int i = 0; i < 4; i++) m[i * 5] += lambda * (jtj[i * 5] + 1e-12);
                var step = Solve4(m, jtr);
                if (step is null) { lambda *= 10; continue; }
                double na = a - step[0], nb = b - step[1], nc = c - step[2], nd = d - step[3];
                double s = Sse(x, y, f, na, nb, nc, nd);
                if (double.IsFinite(s) && s < sse)
                {
                    double gain = (sse - s) / Math.Max(sse, 1e-300);
                    (a, b, c, d, sse) = (na, nb, nc, nd, s);
                    lambda = Math.Max(lambda / 3, 1e-12);
                    improved = true;
                    if (gain < 1e-12) return;
                }
                else lambda *= 4;
            }
            if (!improved) return;
        }
    }

    private static double Sse(double[] x, double[] y, Func<double, double> f, double a, double b, double c, double d)
    {
        double s = 0;
        for (int k = 0; k < x.Length; k++)
        {
            double r = c * f(a * x[k] + b) + d - y[k];
            s += r * r;
        }
        return s;
    }

    /// <summary>Solves the 4×4 system by Gaussian elimination with partial pivoting; null if singular.</summary>
    private static double[]? Solve4(double[] m, double[] rhs)
    {
        var a = (double[])m.Clone();
        var v = (double[])rhs.Clone();
        for (int col = 0; col < 4; col++)
        {
            int piv = col;
            for (int r = col + 1; r < 4; r++) if (Math.Abs(a[r * 4 + col]) > Math.Abs(a[piv * 4 + col])) piv = r;
            if (!(Math.Abs(a[piv * 4 + col]) > 1e-300)) return null;
            if (piv != col)
            {
                for (int j = 0; j < 4; j++) (a[col * 4 + j], a[piv * 4 + j]) = (a[piv * 4 + j], a[col * 4 + j]);
                (v[col], v[piv]) = (v[piv], v[col]);
            }
            for (int r = col + 1; r < 4; r++)
            {
                double fct = a[r * 4 + col] / a[col * 4 + col];
                for (int j = col; j < 4; j++) a[r * 4 + j] -= fct * a[col * 4 + j];
                v[r] -= fct * v[col];
            }
        }
        var xs = new double[4];
        for (int r = 3; r >= 0; r--)
        {
            double s = v[r];
            for (int j = r + 1; j < 4; j++) s -= a[r * 4 + j] * xs[j];
            xs[r] = s / a[r * 4 + r];
        }
        return xs.All(double.IsFinite) ? xs : null;
    }
}
