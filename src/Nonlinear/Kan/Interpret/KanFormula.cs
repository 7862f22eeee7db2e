using Nonlinear.Kan.Symbolic;
using Nonlinear.Symbolic;

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
    /// coefficient is below <paramref name="zeroBelow"/> dropped.
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
                    if (e.Name == "0" || Math.Abs(e.C) < zeroBelow) continue;
                    var term = EdgeExpr(e with { D = 0 }, nodes[i]);
                    sum = sum is null ? term : sum + term;
                }
                var node = sum is null ? Expr.C(constant) : sum + Expr.C(constant);
                next[o] = ExprSimplifier.Simplify(node, digits, zeroBelow);
            }
            nodes = next;
        }
        if (learned.Count > 0)
            throw new InvalidOperationException($"edges {string.Join(", ", learned.Take(12))}{(learned.Count > 12 ? ", …" : "")} are learned functions, not symbolic; run KanAutoSymbolic.Run first.");
        return nodes;
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
