using Nonlinear.Activations;
using Nonlinear.Kernels.Learnable;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Fits P/Q to a function in double precision: a few Sanathanan–Koerner steps (linear least squares for P − f·Q,
/// reweighted by 1/Q of the previous step, which turns the linearised error into the true one as it converges), then
/// Levenberg–Marquardt on the true residual P/Q − f with the exact gradients of <see cref="RationalKernel"/> (which also
/// handles the |·| in both denominator forms). Deterministic: fixed grid, fixed iteration counts.
/// </summary>
internal static class RationalFitter
{
    private const int Points = 1201;

    public static RationalFit Fit(string activation, double lo, double hi, int m, int n, RationalForm form, RationalFitMode mode)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(lo < hi))
            throw new ArgumentException($"fit range must be finite with lo < hi; got [{lo}, {hi}].", nameof(lo));
        var target = ActivationCatalog.Parse(activation);
        var kernel = new RationalKernel(m, n, form);
        double w = hi - lo;
        var (flo, fhi) = mode == RationalFitMode.Wide ? (lo - w, hi + w) : (lo, hi);
        var xs = new double[Points];
        var fs = new double[Points];
        var ws = new double[Points];
        for (int i = 0; i < Points; i++)
        {
            xs[i] = flo + (fhi - flo) * i / (Points - 1);
            fs[i] = target.Reference(xs[i]);
            ws[i] = xs[i] >= lo && xs[i] <= hi ? 1.0 : 0.25;
        }
        int P = m + 1 + n;
        var theta = Linearised(xs, fs, ws, m, n, form);
        Refine(kernel, xs, fs, ws, theta);

        double maxErr = 0, sq = 0, outErr = 0;
        int count = 0;
        for (int i = 0; i < 4001; i++)
        {
            double x = lo + w * i / 4000, e = Math.Abs(kernel.Reference(x, theta) - target.Reference(x));
            maxErr = Math.Max(maxErr, e); sq += e * e; count++;
            double xl = lo - w * i / 4000, xh = hi + w * i / 4000;
            outErr = Math.Max(outErr, Math.Max(Math.Abs(kernel.Reference(xl, theta) - target.Reference(xl)), Math.Abs(kernel.Reference(xh, theta) - target.Reference(xh))));
        }
        double lead = n == 0 ? theta[m] : theta[m] / Math.Abs(theta[m + n]);
        return new RationalFit(target.ToString(), lo, hi, m, n, form, mode, theta[..(m + 1)], theta[(m + 1)..],
            maxErr, Math.Sqrt(sq / count), outErr, lead);
    }

    private static double[] Linearised(double[] xs, double[] fs, double[] ws, int m, int n, RationalForm form)
    {
        int P = m + 1 + n, K = xs.Length;
        var theta = new double[P];
        var q = new double[K];
        Array.Fill(q, 1.0);
        var row = new double[P];
        for (int iter = 0; iter < 6; iter++)
        {
            var ata = new double[P, P];
            var atb = new double[P];
            for (int i = 0; i < K; i++)
            {
                double s = Math.Sqrt(ws[i]) / q[i], x = xs[i], u = form == RationalForm.Safe ? Math.Abs(x) : x, pw = 1;
                for (int k = 0; k <= m; k++) { row[k] = s * pw; pw *= x; }
                pw = u;
                for (int k = 1; k <= n; k++) { row[m + k] = -s * fs[i] * pw; pw *= u; }
                Accumulate(ata, atb, row, s * fs[i]);
            }
            theta = Solve(ata, atb, 1e-12);
            for (int i = 0; i < K; i++)
            {
                double u = form == RationalForm.Safe ? Math.Abs(xs[i]) : xs[i], sum = 0, pw = u;
                for (int k = 1; k <= n; k++) { sum += theta[m + k] * pw; pw *= u; }
                q[i] = Math.Max(Math.Abs(1 + sum), 1e-3);
            }
        }
        return theta;
    }

    private static void Refine(RationalKernel kernel, double[] xs, double[] fs, double[] ws, double[] theta)
    {
        int P = theta.Length;
        var grad = new double[P];
        double Cost(double[] t)
        {
            double c = 0;
            for (int i = 0; i < xs.Length; i++) { double r = kernel.Reference(xs[i], t) - fs[i]; c += ws[i] * r * r; }
            return c;
        }
        double cost = Cost(theta), mu = 1e-3;
        for (int iter = 0; iter < 300 && cost > 0; iter++)
        {
            var jtj = new double[P, P];
            var jtr = new double[P];
            for (int i = 0; i < xs.Length; i++)
            {
                kernel.ReferenceGradient(xs[i], theta, grad);
                double s = Math.Sqrt(ws[i]);
                for (int k = 0; k < P; k++) grad[k] *= s;
                Accumulate(jtj, jtr, grad, -s * (kernel.Reference(xs[i], theta) - fs[i]));
            }
            bool improved = false;
            for (int tries = 0; tries < 12 && !improved; tries++)
            {
                var step = Solve(jtj, jtr, mu);
                var next = new double[P];
                for (int k = 0; k < P; k++) next[k] = theta[k] + step[k];
                double c = Cost(next);
                if (c < cost) { Array.Copy(next, theta, P); cost = c; mu = Math.Max(mu / 3, 1e-12); improved = true; }
                else mu *= 4;
            }
            if (!improved) break;
        }
    }

    private static void Accumulate(double[,] ata, double[] atb, double[] row, double rhs)
    {
        int P = row.Length;
        for (int a = 0; a < P; a++)
        {
            atb[a] += row[a] * rhs;
            for (int b = 0; b < P; b++) ata[a, b] += row[a] * row[b];
        }
    }

    /// <summary>(A + μ·diag(A)) x = b with Jacobi scaling and partial pivoting.</summary>
    private static double[] Solve(double[,] a, double[] b, double mu)
    {
        int P = b.Length;
        var d = new double[P];
        for (int i = 0; i < P; i++) d[i] = a[i, i] > 0 ? 1 / Math.Sqrt(a[i, i]) : 1;
        var m = new double[P, P + 1];
        for (int i = 0; i < P; i++)
        {
            for (int j = 0; j < P; j++) m[i, j] = a[i, j] * d[i] * d[j];
            m[i, i] += mu * (a[i, i] > 0 ? 1 : 1e-12);
            m[i, P] = b[i] * d[i];
        }
        for (int c = 0; c < P; c++)
        {
            int piv = c;
            for (int r = c + 1; r < P; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[piv, c])) piv = r;
            for (int j = 0; j <= P; j++) (m[c, j], m[piv, j]) = (m[piv, j], m[c, j]);
            double p = m[c, c];
            if (p == 0) continue;
            for (int r = c + 1; r < P; r++)
            {
                double f = m[r, c] / p;
                if (f != 0) for (int j = c; j <= P; j++) m[r, j] -= f * m[c, j];
            }
        }
        var x = new double[P];
        for (int i = P - 1; i >= 0; i--)
        {
            double s = m[i, P];
            for (int j = i + 1; j < P; j++) s -= m[i, j] * x[j];
            x[i] = m[i, i] == 0 ? 0 : s / m[i, i];
        }
        for (int i = 0; i < P; i++) x[i] *= d[i];
        return x;
    }
}
