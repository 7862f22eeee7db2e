using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>One edge's function sampled for plotting.</summary>
/// <param name="Layer">Layer index.</param>
/// <param name="Output">Output node.</param>
/// <param name="Input">Input node.</param>
/// <param name="X">Evenly spaced inputs over the range the edge sees on the batch.</param>
/// <param name="Y">What the edge adds to its output at each X (learned function × mask, plus a symbolic function).</param>
/// <param name="Active">False for a pruned edge (Y is then all zero).</param>
/// <param name="Symbolic">The symbolic function's text when the edge is fixed, else null.</param>
/// <param name="Score">|φ|₁ on the batch, which plots use for line opacity as pykan does.</param>
public sealed record KanEdgeCurve(int Layer, int Output, int Input, double[] X, double[] Y, bool Active, string? Symbolic, double Score);

/// <summary>Samples every edge of a KAN (pykan's plot data) so a front end can draw the grid without touching the layers.</summary>
public static class KanEdgeCurves
{
    /// <summary>Every edge, layer by layer, output-major, each sampled at <paramref name="points"/> inputs.</summary>
    public static IReadOnlyList<KanEdgeCurve> Sample(IReadOnlyList<KanLayer> layers, Tensor x, int points = 101)
    {
        if (points < 2) throw new ArgumentException($"points must be ≥ 2; got {points}.", nameof(points));
        var scores = KanPruning.EdgeScores(layers, x);
        Tensor[] inputs;
        using (Autograd.NoGrad()) inputs = KanStack.Forward(layers, x).Inputs;
        var curves = new List<KanEdgeCurve>();
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            int inF = layer.InFeatures, n = inputs[l].Size(0);
            var xs = inputs[l].Contiguous().AsSpanUntracked();
            for (int o = 0; o < layer.OutFeatures; o++)
                for (int i = 0; i < inF; i++)
                {
                    double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                    for (int r = 0; r < n; r++) { lo = Math.Min(lo, xs[r * inF + i]); hi = Math.Max(hi, xs[r * inF + i]); }
                    if (!(hi > lo)) { lo -= 0.5; hi += 0.5; } // a constant input (e.g. behind a pruned node): plot around it
                    var grid = Enumerable.Range(0, points).Select(q => lo + (hi - lo) * q / (points - 1)).ToArray();
                    var sym = layer.GetSymbolic(o, i);
                    bool active = layer.IsEdgeActive(o, i) || sym is not null;
                    var ys = active ? layer.EdgeOutput(o, i, grid) : new double[points];
                    string? text = sym is null ? null
                        : Nonlinear.Symbolic.ExprSimplifier.Simplify(KanFormula.EdgeExpr(sym, new Nonlinear.Symbolic.Var(0, "x")), 3, 1e-4).ToString();
                    curves.Add(new KanEdgeCurve(l, o, i, grid, ys, active, text, scores[l][o * inF + i]));
                }
        }
        return curves;
    }
}
