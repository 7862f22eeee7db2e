using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>What <see cref="KanPruning.Prune"/> removed and kept.</summary>
/// <param name="ActiveNodes">Per layer boundary (0 = inputs … L = outputs), the indices of the nodes still in use.</param>
/// <param name="PrunedEdges">Edges masked by this call, as (layer, output, input).</param>
/// <param name="PrunedNodes">Hidden nodes removed, as (boundary, node).</param>
public sealed record KanPruneResult(IReadOnlyList<int[]> ActiveNodes, IReadOnlyList<(int Layer, int Output, int Input)> PrunedEdges,
    IReadOnlyList<(int Boundary, int Node)> PrunedNodes)
{
    /// <summary>The widths of the network that remains, e.g. "[2, 1, 1]".</summary>
    public string Shape => "[" + string.Join(", ", ActiveNodes.Select(a => a.Length)) + "]";
}

/// <summary>
/// Pruning by attribution (Liu et al. 2024, §2.5.1): with |φ|₁ the mean absolute edge output on a batch, a hidden node
/// i has incoming score I = max_k |φ_{l−1,i,k}|₁ and outgoing score O = max_j |φ_{l+1,j,i}|₁, and is kept when both exceed
/// the node threshold θ (pykan: 1e-2); an edge is kept when its own score exceeds the edge threshold. Pruning sets the
/// edge mask (<see cref="KanLayer.SetEdgeMask"/>) of the removed edges and of every edge of a removed node, so the
/// network keeps its shapes and the remaining computation is exactly the smaller network's.
/// </summary>
public static class KanPruning
{
    /// <summary>Edge scores |φ_{o,i}|₁ [out·in] (row-major by output) of every layer on the batch <paramref name="x"/>.</summary>
    public static float[][] EdgeScores(IReadOnlyList<KanLayer> layers, Tensor x)
    {
        using var _ = Autograd.NoGrad();
        var (_, inputs) = KanStack.Forward(layers, x);
        var scores = new float[layers.Count][];
        for (int l = 0; l < layers.Count; l++)
        {
            var a = KanRegularization.EdgeScales(layers[l], inputs[l]).ToArray(); // [in, out]
            int inF = layers[l].InFeatures, outF = layers[l].OutFeatures;
            scores[l] = new float[outF * inF];
            for (int o = 0; o < outF; o++)
                for (int i = 0; i < inF; i++)
                {
                    var sym = layers[l].GetSymbolic(o, i);
                    double symScale = 0;
                    if (sym is not null)
                    {
                        var xi = inputs[l].Contiguous().AsSpanUntracked();
                        for (int r = 0; r < inputs[l].Size(0); r++) symScale += Math.Abs(sym.Value(xi[r * inF + i]));
                        symScale /= inputs[l].Size(0);
                    }
                    scores[l][o * inF + i] = a[i * outF + o] + (float)symScale;
                }
        }
        return scores;
    }

    /// <summary>
    /// Prunes hidden nodes whose incoming or outgoing score is ≤ <paramref name="nodeThreshold"/>, then edges whose
    /// score is ≤ <paramref name="edgeThreshold"/> (0: keep all edges of surviving nodes). Inputs and outputs are never removed.
    /// </summary>
    public static KanPruneResult Prune(IReadOnlyList<KanLayer> layers, Tensor x, double nodeThreshold = 1e-2, double edgeThreshold = 0)
    {
        if (!(nodeThreshold >= 0)) throw new ArgumentException($"nodeThreshold must be ≥ 0; got {nodeThreshold}.", nameof(nodeThreshold));
        if (!(edgeThreshold >= 0)) throw new ArgumentException($"edgeThreshold must be ≥ 0; got {edgeThreshold}.", nameof(edgeThreshold));
        var scores = EdgeScores(layers, x);
        var prunedEdges = new List<(int, int, int)>();
        var prunedNodes = new List<(int, int)>();
        var active = new List<int[]> { Enumerable.Range(0, layers[0].InFeatures).ToArray() };
        for (int b = 1; b < layers.Count; b++)
        {
            var into = layers[b - 1];
            var outOf = layers[b];
            var keep = new List<int>();
            for (int node = 0; node < into.OutFeatures; node++)
            {
                double inScore = 0, outScore = 0;
                for (int i = 0; i < into.InFeatures; i++) inScore = Math.Max(inScore, scores[b - 1][node * into.InFeatures + i]);
                for (int j = 0; j < outOf.OutFeatures; j++) outScore = Math.Max(outScore, scores[b][j * outOf.InFeatures + node]);
                if (inScore > nodeThreshold && outScore > nodeThreshold) { keep.Add(node); continue; }
                prunedNodes.Add((b, node));
                for (int i = 0; i < into.InFeatures; i++) MaskEdge(into, b - 1, node, i, prunedEdges, scores);
                for (int j = 0; j < outOf.OutFeatures; j++) MaskEdge(outOf, b, j, node, prunedEdges, scores);
            }
            active.Add(keep.ToArray());
        }
        active.Add(Enumerable.Range(0, layers[^1].OutFeatures).ToArray());
        if (edgeThreshold > 0)
            for (int l = 0; l < layers.Count; l++)
                for (int o = 0; o < layers[l].OutFeatures; o++)
                    for (int i = 0; i < layers[l].InFeatures; i++)
                        if (scores[l][o * layers[l].InFeatures + i] <= edgeThreshold) MaskEdge(layers[l], l, o, i, prunedEdges, scores);
        return new KanPruneResult(active, prunedEdges, prunedNodes);
    }

    /// <summary>Masks every edge into and out of hidden node <paramref name="node"/> at <paramref name="boundary"/>; returns the edges masked.</summary>
    internal static List<(int, int, int)> RemoveNode(IReadOnlyList<KanLayer> layers, int boundary, int node)
    {
        var removed = new List<(int, int, int)>();
        var scores = layers.Select(l => new float[l.OutFeatures * l.InFeatures]).ToArray();
        for (int i = 0; i < layers[boundary - 1].InFeatures; i++) MaskEdge(layers[boundary - 1], boundary - 1, node, i, removed, scores);
        for (int j = 0; j < layers[boundary].OutFeatures; j++) MaskEdge(layers[boundary], boundary, j, node, removed, scores);
        return removed;
    }

    private static void MaskEdge(KanLayer layer, int l, int o, int i, List<(int, int, int)> pruned, float[][] scores)
    {
        if (!layer.IsEdgeActive(o, i) && layer.GetSymbolic(o, i) is null) return;
        layer.SetEdgeMask(o, i, false);
        layer.ClearSymbolic(o, i);
        scores[l][o * layer.InFeatures + i] = 0;
        pruned.Add((l, o, i));
    }
}
