using Nonlinear.Kan.Symbolic;
using Nonlinear.Symbolic;
using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>
/// The closed form of a fully symbolic KAN (pykan's symbolic_formula): node o of layer l+1 is
/// Σ_i c·f(a·node_i + b) + (Σ_i d + bias_o) over the symbolic edges into it; masked edges contribute nothing.
/// </summary>
public static class KanFormula
{
    /// <summary>
    /// One expression per network output, in the inputs named <paramref name="variables"/> (default x, y, z or
    /// x1…xn), simplified with constants rounded to <paramref name="digits"/> significant digits and terms whose
    /// coefficient is below <paramref name="zeroBelow"/> dropped. Rounding and dropping happen on the outputs only:
    /// hidden nodes are composed exactly, because a later layer can scale them by hundreds (an edge c·(a·x)² with
    /// c = 8e-5 and a = 8.5, read by sqrt(−793·h), is 4.9·x² — dropping it as "c &lt; 1e-4" printed sqrt(1+y²) for
    /// sqrt(1+x²+y²)).
    /// </summary>
    /// <exception cref="InvalidOperationException">An edge is still a learned (active, non-symbolic) function; the message lists them.</exception>
    public static Expr[] Build(IReadOnlyList<KanLayer> layers, IReadOnlyList<string>? variables = null, int digits = 4, double zeroBelow = 1e-4)
    {
        KanStack.Check(layers);
        int n0 = layers[0].InFeatures;
        variables ??= DefaultNames(n0);
        if (variables.Count != n0) throw new ArgumentException($"variables must name {n0} inputs; got {variables.Count}.", nameof(variables));
        var learned = new List<string>();
        Expr[] nodes = variables.Select((v, i) => (Expr)new Var(i, v)).ToArray();
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var next = new Expr[layer.OutFeatures];
            var bias = layer.Bias?.AsSpanUntracked().ToArray();
            for (int o = 0; o < layer.OutFeatures; o++)
            {
                Expr? sum = null;
                double constant = bias?[o] ?? 0;
                for (int i = 0; i < layer.InFeatures; i++)
                {
                    if (layer.IsEdgeActive(o, i)) { learned.Add($"({l},{o},{i})"); continue; }
                    if (layer.GetSymbolic(o, i) is not { } e) continue;
                    constant += e.D;
                    if (e.Name == "0" || e.C == 0) continue;
                    var term = EdgeExpr(e with { D = 0 }, nodes[i]);
                    sum = sum is null ? term : sum + term;
                }
                var node = sum is null ? Expr.C(constant) : sum + Expr.C(constant);
                bool output = l == layers.Count - 1;
                next[o] = output ? ExprSimplifier.Simplify(node, digits, zeroBelow) : ExprSimplifier.Simplify(node);
            }
            nodes = next;
        }
        if (learned.Count > 0)
            throw new InvalidOperationException($"edges {string.Join(", ", learned.Take(12))}{(learned.Count > 12 ? ", …" : "")} are learned functions, not symbolic; run KanAutoSymbolic.Run first.");
        return nodes;
    }

    /// <summary>
    /// The largest, over the outputs, RMSE of the expressions evaluated in double on the rows of <paramref name="x"/>
    /// against <paramref name="y"/> ([rows, outputs]): what the printed formulas themselves achieve, rounding included.
    /// </summary>
    internal static double Rmse(IReadOnlyList<Expr> formulas, Tensor x, Tensor y)
    {
        var xs = x.Contiguous().AsReadOnlySpan();
        var ys = y.Contiguous().AsReadOnlySpan();
        int rows = x.Size(0), n = x.Size(1), outputs = formulas.Count;
        if (y.Size(0) != rows || ys.Length != rows * outputs) throw new ArgumentException($"y must be [{rows}, {outputs}]; got [{string.Join(", ", y.Shape.ToArray())}].", nameof(y));
        var vars = new double[n];
        double worst = 0;
        for (int o = 0; o < outputs; o++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < n; j++) vars[j] = xs[r * n + j];
                double e = formulas[o].Evaluate(vars) - ys[r * outputs + o];
                sum += e * e;
            }
            double rmse = Math.Sqrt(sum / Math.Max(rows, 1));
            worst = double.IsNaN(rmse) ? double.NaN : Math.Max(worst, rmse);
            if (double.IsNaN(worst)) break;
        }
        return worst;
    }

    /// <summary>c·f(a·input + b) + d for a symbolic edge whose function is in <see cref="SymbolicLibrary"/>.</summary>
    /// <exception cref="ArgumentException">The edge's function is not a library function.</exception>
    public static Expr EdgeExpr(SymbolicEdge edge, Expr input)
    {
        ArgumentNullException.ThrowIfNull(edge);
        var term = edge.Name == "0" ? Expr.C(0) : Expr.C(edge.C) * SymbolicLibrary.Get(edge.Name).Build(Expr.C(edge.A) * input + Expr.C(edge.B));
        return edge.D == 0 ? term : term + Expr.C(edge.D);
    }

    /// <summary>x, y, z for up to three inputs, else x1 … xn.</summary>
    public static IReadOnlyList<string> DefaultNames(int n) => n <= 3 ? new[] { "x", "y", "z" }[..n] : Enumerable.Range(1, n).Select(i => "x" + i).ToArray();
}
