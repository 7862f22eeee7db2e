using Nonlinear.Kan;

namespace Nonlinear.Tests.Kan;

/// <summary>
/// A KAN layer written from the definitions in double, independent of the library's kernels: B-splines by the
/// recursive Cox–de Boor definition, RBFs and SiLU by their formulas, Chebyshev by T_n(cos θ) = cos(nθ)'s
/// polynomial recurrence in double, the edge sum by plain loops. Parameters come in as double arrays so that
/// finite differences can perturb them.
/// </summary>
public static class KanReference
{
    public static double CoxDeBoor(double[] t, int m, int p, double x)
    {
        if (p == 0) return t[m] <= x && x < t[m + 1] ? 1 : 0;
        double a = t[m + p] > t[m] ? (x - t[m]) / (t[m + p] - t[m]) * CoxDeBoor(t, m, p - 1, x) : 0;
        double b = t[m + p + 1] > t[m + 1] ? (t[m + p + 1] - x) / (t[m + p + 1] - t[m + 1]) * CoxDeBoor(t, m + 1, p - 1, x) : 0;
        return a + b;
    }

    public static double[] Knots(BSplineBasis s, int input)
    {
        var t = new double[s.GridSize + 2 * s.Order + 1];
        for (int m = 0; m < t.Length; m++) t[m] = s.Knot(input, m);
        return t;
    }

    public static double Basis(KanBasis basis, int input, int j, double x) => basis switch
    {
        BSplineBasis s => CoxDeBoor(Knots(s, input), j, s.Order, x),
        RbfBasis r => Math.Exp(-Math.Pow((x - r.Centre(j)) / r.Width, 2)),
        ChebyshevBasis => Chebyshev(j, Math.Tanh(x)),
        FourierBasis fb => j < fb.Frequencies ? Math.Cos((j + 1) * x) : Math.Sin((j + 1 - fb.Frequencies) * x),
        _ => throw new ArgumentException($"no reference for {basis}"),
    };

    public static double Chebyshev(int n, double t)
    {
        double a = 1, b = t;
        if (n == 0) return a;
        for (int q = 1; q < n; q++) (a, b) = (b, 2 * t * b - a);
        return b;
    }

    public static double Silu(double x) => x / (1 + Math.Exp(-x));

    /// <summary>The layer's parameters as double arrays by name (the optional LayerNorm excluded).</summary>
    public static Dictionary<string, double[]> Parameters(KanLayer layer) =>
        layer.NamedParameters().Where(p => !p.Name.StartsWith("norm.", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => Array.ConvertAll(p.Tensor.ToArray(), v => (double)v));

    /// <summary>y [n, out] of x [n, in] (no LayerNorm) with parameters <paramref name="p"/> and the layer's mask, bases and symbolic edges.</summary>
    public static double[] Forward(KanLayer layer, double[] x, int n, Dictionary<string, double[]> p)
    {
        int inF = layer.InFeatures, outF = layer.OutFeatures, ns = layer.Spaces.Count;
        var mask = layer.Mask.ToArray();
        var y = new double[n * outF];
        var mix = new double[outF * ns];
        for (int o = 0; o < outF; o++)
        {
            if (!p.TryGetValue("mix_logits", out var a)) { mix[o] = 1; continue; }
            double z = 0;
            for (int s = 0; s < ns; s++) z += Math.Exp(a[o * ns + s]);
            for (int s = 0; s < ns; s++) mix[o * ns + s] = Math.Exp(a[o * ns + s]) / z;
        }
        for (int r = 0; r < n; r++)
            for (int o = 0; o < outF; o++)
            {
                double acc = p.TryGetValue("bias", out var b) ? b[o] : 0;
                for (int i = 0; i < inF; i++)
                {
                    double xv = x[r * inF + i], phi = 0;
                    int e = o * inF + i;
                    if (p.TryGetValue("scale_base", out var sb)) phi += sb[e] * Silu(xv);
                    for (int s = 0; s < ns; s++)
                    {
                        var basis = layer.Spaces[s];
                        var c = p[ns == 1 ? "coef" : "coef_" + basis.Name];
                        double spl = 0;
                        for (int j = 0; j < basis.Count; j++) spl += c[e * basis.Count + j] * Basis(basis, i, j, xv);
                        phi += p["scale_sp"][e] * mix[o * ns + s] * spl;
                    }
                    acc += mask[e] * phi;
                    if (layer.GetSymbolic(o, i) is { } sym) acc += sym.C * sym.F(sym.A * xv + sym.B) + sym.D;
                }
                y[r * outF + o] = acc;
            }
        return y;
    }
}
