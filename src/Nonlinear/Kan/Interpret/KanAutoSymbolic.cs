using Nonlinear.Autodiff;
using Nonlinear.Kan.Symbolic;
using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>One edge fixed by <see cref="KanAutoSymbolic.Run"/>.</summary>
/// <param name="Layer">Layer index.</param>
/// <param name="Output">Output node.</param>
/// <param name="Input">Input node.</param>
/// <param name="Fit">The chosen fit (R² on the edge's learned function at the batch's inputs).</param>
/// <param name="Best">The candidate with the highest R² (may be <paramref name="Fit"/>; a degenerate one is reported, not chosen).</param>
/// <param name="Warning">Why this edge's formula should not be trusted (near-constant, unexplained, degenerate), or null.</param>
public sealed record KanEdgeFit(int Layer, int Output, int Input, SymbolicFit Fit, SymbolicFit Best, string? Warning = null)
{
    /// <inheritdoc/>
    public override string ToString()
        => $"edge L{Layer} {Input}→{Output}: {Fit}" + (ReferenceEquals(Best, Fit) ? "" : $"; best candidate {Best.Function.Name} R² = {Best.R2:F6}")
            + (Warning is null ? "" : $"  WARNING: {Warning}");
}

/// <summary>
/// pykan's auto_symbolic: every active learned edge, layer by layer, is fitted against the library
/// (<see cref="EdgeSymbolicFitter.Suggest"/>) at the inputs it sees on a batch, and the fit <see cref="SymbolicChoice"/> picks replaces it
/// (<see cref="KanLayer.SetSymbolic"/>: the learned function is masked out, the edge becomes exactly c·f(a·x + b) + d).
/// Layers are processed in order and each layer's inputs are recomputed after the previous layer was fixed, so a
/// later fit absorbs the small deviations of the earlier ones.
/// </summary>
public static class KanAutoSymbolic
{
    /// <summary>Fixes every active, not yet symbolic edge; returns the fits in (layer, output, input) order.</summary>
    /// <param name="layers">The network.</param>
    /// <param name="x">A batch of network inputs [N, n₀] (typically the training set).</param>
    /// <param name="options">Fitter settings (pykan's weight_simple etc.).</param>
    /// <param name="library">Candidate functions; default <see cref="SymbolicLibrary.All"/>.</param>
    /// <param name="maxSamples">At most this many rows are used per edge (evenly strided).</param>
    /// <param name="choice">How the fit is chosen among the candidates.</param>
    public static IReadOnlyList<KanEdgeFit> Run(IReadOnlyList<KanLayer> layers, Tensor x, SymbolicFitOptions? options = null,
        IReadOnlyList<SymbolicFunction>? library = null, int maxSamples = 512, SymbolicChoiceOptions? choice = null)
    {
        KanStack.Check(layers);
        ArgumentNullException.ThrowIfNull(x);
        if (maxSamples < 2) throw new ArgumentException($"maxSamples must be ≥ 2; got {maxSamples}.", nameof(maxSamples));
        var fits = new List<KanEdgeFit>();
        for (int l = 0; l < layers.Count; l++) fits.AddRange(RunLayer(layers, l, x, options, library, maxSamples, choice));
        return fits;
    }

    /// <summary>
    /// Fixes every active, not yet symbolic edge of layer <paramref name="l"/> only, at the inputs that layer sees on
    /// <paramref name="x"/> through the (partly symbolic) layers before it; returns the fits in (output, input) order.
    /// </summary>
    public static IReadOnlyList<KanEdgeFit> RunLayer(IReadOnlyList<KanLayer> layers, int l, Tensor x, SymbolicFitOptions? options = null,
        IReadOnlyList<SymbolicFunction>? library = null, int maxSamples = 512, SymbolicChoiceOptions? choice = null)
    {
        KanStack.Check(layers);
        ArgumentNullException.ThrowIfNull(x);
        if ((uint)l >= (uint)layers.Count) throw new ArgumentOutOfRangeException(nameof(l), l, $"layer must be in [0, {layers.Count}).");
        if (maxSamples < 2) throw new ArgumentException($"maxSamples must be ≥ 2; got {maxSamples}.", nameof(maxSamples));
        var fits = new List<KanEdgeFit>();
        Tensor input;
        using (Autograd.NoGrad()) input = KanStack.Forward(layers, x).Inputs[l].Contiguous();
        var layer = layers[l];
        int n = input.Size(0), inF = layer.InFeatures, stride = Math.Max(1, n / maxSamples);
        var xs = input.AsSpanUntracked();
        var cols = new double[inF][];
        for (int i = 0; i < inF; i++)
        {
            var col = new List<double>();
            for (int r = 0; r < n; r += stride) col.Add(xs[r * inF + i]);
            cols[i] = col.ToArray();
        }
        // Every edge's values first: whether an edge is negligible depends on the other edges into its node.
        var values = new double[layer.OutFeatures, inF][];
        var largest = new double[layer.OutFeatures];
        for (int o = 0; o < layer.OutFeatures; o++)
            for (int i = 0; i < inF; i++)
            {
                if (!layer.IsEdgeActive(o, i) || layer.GetSymbolic(o, i) is not null) continue;
                values[o, i] = layer.EdgeFunction(o, i, cols[i]);
                largest[o] = Math.Max(largest[o], Range(values[o, i]));
            }
        for (int i = 0; i < inF; i++)
            for (int o = 0; o < layer.OutFeatures; o++)
            {
                if (values[o, i] is not { } yi) continue;
                var xi = cols[i];
                double relative = largest[o] > 0 ? Range(yi) / largest[o] : 0;
                var pick = SymbolicChoice.Choose(EdgeSymbolicFitter.Suggest(xi, yi, options, library), xi.Min(), xi.Max(), relative, choice);
                layer.SetSymbolic(o, i, ToEdge(pick.Chosen));
                fits.Add(new KanEdgeFit(l, o, i, pick.Chosen, pick.Best, pick.Warning));
            }
        return fits;
    }

    private static double Range(double[] v) => v.Length == 0 ? 0 : v.Max() - v.Min();

    /// <summary>The layer-level fixed edge for a fit: value c·f(a·x + b) + d, slope by a central difference of f.</summary>
    public static SymbolicEdge ToEdge(SymbolicFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var f = fit.Function.Evaluate;
        return new SymbolicEdge(fit.Function.Name, f, u =>
        {
            double h = 1e-6 * (1 + Math.Abs(u));
            double d = (f(u + h) - f(u - h)) / (2 * h);
            return double.IsFinite(d) ? d : 0;
        }, fit.A, fit.B, fit.C, fit.D);
    }
}
