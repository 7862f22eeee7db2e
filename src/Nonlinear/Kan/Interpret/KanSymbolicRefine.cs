using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>
/// Joint refinement of a fully symbolic KAN's constants: after <see cref="KanAutoSymbolic"/> each edge was fitted on
/// its own, so small errors compound through the layers; pykan therefore keeps training the affine parameters of
/// fixed edges. Here all (a, b, c, d) of all symbolic edges are refined together by Levenberg–Marquardt on the
/// training MSE, evaluating the network in double with a forward-difference Jacobian. A step is kept only if it lowers
/// the error, so the result is never worse than the per-edge fits.
/// </summary>
public static class KanSymbolicRefine
{
    /// <summary>Refines in place; returns the training RMSE before and after.</summary>
    /// <exception cref="InvalidOperationException">An active edge is not symbolic.</exception>
    public static (double Before, double After) Refine(IReadOnlyList<KanLayer> layers, Tensor x, Tensor y, int iterations = 30, int maxSamples = 1000)
    {
        KanStack.Check(layers);
        var edges = new List<(int L, int O, int I)>();
        for (int l = 0; l < layers.Count; l++)
            for (int o = 0; o < layers[l].OutFeatures; o++)
                for (int i = 0; i < layers[l].InFeatures; i++)
                {
                    if (layers[l].IsEdgeActive(o, i)) throw new InvalidOperationException($"edge ({l},{o},{i}) is a learned function; fix every edge first.");
                    if (layers[l].GetSymbolic(o, i) is { Name: not "0" }) edges.Add((l, o, i));
                }
        int n0 = layers[0].InFeatures, n = x.Size(0), stride = Math.Max(1, n / maxSamples);
        var xs = x.Contiguous().AsSpanUntracked().ToArray();
        var ys = y.Contiguous().AsSpanUntracked().ToArray();
        var rows = Enumerable.Range(0, n).Where(r => r % stride == 0).ToArray();
        int m = rows.Length, p = 4 * edges.Count;
        var theta = new double[p];
        for (int e = 0; e < edges.Count; e++)
        {
            var s = layers[edges[e].L].GetSymbolic(edges[e].O, edges[e].I)!;
            (theta[4 * e], theta[4 * e + 1], theta[4 * e + 2], theta[4 * e + 3]) = (s.A, s.B, s.C, s.D);
        }
        double Sse(double[] t, double[]? residuals)
        {
            double sse = 0;
            for (int k = 0; k < m; k++)
            {
                double r = Evaluate(layers, edges, t, xs.AsSpan(rows[k] * n0, n0)) - ys[rows[k]];
                if (residuals is not null) residuals[k] = r;
                sse += r * r;
            }
            return double.IsFinite(sse) ? sse : double.PositiveInfinity;
        }
        var res = new double[m];
        double current = Sse(theta, res), before = current;
        double lambda = 1e-3;
        var jac = new double[m * p];
        for (int it = 0; it < iterations && p > 0; it++)
        {
            for (int j = 0; j < p; j++)
            {
                double h = 1e-7 * (1 + Math.Abs(theta[j]));
                double keep = theta[j];
                theta[j] = keep + h;
                for (int k = 0; k < m; k++)
                    jac[k * p + j] = (Evaluate(layers, edges, theta, xs.AsSpan(rows[k] * n0, n0)) - ys[rows[k]] - res[k]) / h;
                theta[j] = keep;
            }
            var jtj = new double[p * p];
            var jtr = new double[p];
            for (int k = 0; k < m; k++)
                for (int a = 0; a < p; a++)
                {
                    double ja = jac[k * p + a];
                    if (!double.IsFinite(ja)) ja = 0;
                    jtr[a] += ja * res[k];
                    for (int b = 0; b < p; b++) jtj[a * p + b] += ja * (double.IsFinite(jac[k * p + b]) ? jac[k * p + b] : 0);
                }
            bool improved = false;
            for (int attempt = 0; attempt < 10 && !improved; attempt++)
            {
                var a = (double[])jtj.Clone();
                for (int d = 0; d < p; d++) a[d * p + d] += lambda * (jtj[d * p + d] + 1e-12);
                var step = Solve(a, jtr, p);
                if (step is null) { lambda *= 10; continue; }
                var trial = theta.Select((t, j) => t - step[j]).ToArray();
                var trialRes = new double[m];
                double s = Sse(trial, trialRes);
                if (s < current)
                {
                    (theta, res, current) = (trial, trialRes, s);
                    lambda = Math.Max(lambda / 3, 1e-12);
                    improved = true;
                }
                else lambda *= 4;
            }
            if (!improved) break;
        }
        for (int e = 0; e < edges.Count; e++)
        {
            var (l, o, i) = edges[e];
            var s = layers[l].GetSymbolic(o, i)!;
            layers[l].SetSymbolic(o, i, s with { A = theta[4 * e], B = theta[4 * e + 1], C = theta[4 * e + 2], D = theta[4 * e + 3] });
        }
        return (Math.Sqrt(before / m), Math.Sqrt(current / m));
    }

    // The network in double with edge constants taken from theta (edges in the listed order; "0" edges add their d).
    private static double Evaluate(IReadOnlyList<KanLayer> layers, List<(int L, int O, int I)> edges, double[] theta, ReadOnlySpan<float> x)
    {
        var node = new double[x.Length];
        for (int i = 0; i < x.Length; i++) node[i] = x[i];
        int e = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var next = new double[layer.OutFeatures];
            var bias = layer.Bias?.AsSpanUntracked().ToArray();
            for (int o = 0; o < layer.OutFeatures; o++)
            {
                double v = bias is null ? 0 : bias[o];
                for (int i = 0; i < layer.InFeatures; i++)
                {
                    var s = layer.GetSymbolic(o, i);
                    if (s is null) continue;
                    if (e < edges.Count && edges[e] == (l, o, i))
                    {
                        v += theta[4 * e + 2] * s.F(theta[4 * e] * node[i] + theta[4 * e + 1]) + theta[4 * e + 3];
                        e++;
                    }
                    else v += s.D;
                }
                next[o] = v;
            }
            node = next;
        }
        return node[0];
    }

    private static double[]? Solve(double[] a, double[] rhs, int n)
    {
        var v = (double[])rhs.Clone();
        for (int c = 0; c < n; c++)
        {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r * n + c]) > Math.Abs(a[piv * n + c])) piv = r;
            if (!(Math.Abs(a[piv * n + c]) > 1e-300)) return null;
            if (piv != c)
            {
                for (int j = 0; j < n; j++) (a[c * n + j], a[piv * n + j]) = (a[piv * n + j], a[c * n + j]);
                (v[c], v[piv]) = (v[piv], v[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r * n + c] / a[c * n + c];
                if (f == 0) continue;
                for (int j = c; j < n; j++) a[r * n + j] -= f * a[c * n + j];
                v[r] -= f * v[c];
            }
        }
        var s = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double t = v[r];
            for (int j = r + 1; j < n; j++) t -= a[r * n + j] * s[j];
            s[r] = t / a[r * n + r];
        }
        return s.All(double.IsFinite) ? s : null;
    }
}
