using Nonlinear.Autodiff;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>
/// Greedy node reduction after threshold pruning. Attribution thresholds (<see cref="KanPruning.Prune"/>) keep a node
/// whenever the training happened to spread a function over it, so exp(sin(πx)+y²) stops at [2, 2, 1] where the minimal
/// network is [2, 1, 1] (the paper's result). Here each remaining hidden node, weakest attribution first, is removed on
/// trial and the network retrained; the removal is kept when the training RMSE stays within
/// <c>tolerance</c>× the unreduced network's (or below <c>floor</c>·std(y)), else the state is restored exactly.
/// Before the retraining the removed node's incoming edges are added onto the strongest surviving node's
/// (<see cref="Merge"/>): sparsity training leaves that node's other incoming edges at scale ≈ 0 with coefficients ≈ 0,
/// a saddle (the gradient of each factor is the other) from which plain retraining never regrows them.
/// The cost is one training run per hidden node tried.
/// </summary>
public static class KanNodeReduction
{
    /// <summary>Tries to remove every hidden node of <paramref name="net"/> that <paramref name="pruned"/> kept; returns the combined result.</summary>
    /// <param name="net">A network already pruned by <see cref="KanPruning.Prune"/>.</param>
    /// <param name="x">Training inputs.</param>
    /// <param name="y">Training targets.</param>
    /// <param name="train">The retraining after each trial (and of the reference).</param>
    /// <param name="pruned">The threshold pruning's outcome.</param>
    /// <param name="log">Receives one line per accepted removal.</param>
    /// <param name="tolerance">Accepted RMSE growth factor.</param>
    /// <param name="floor">RMSE below floor·std(y) is always accepted: at most 0.04 % of the variance unexplained on the coarse grid, which the later, finer grids remove (a minimal network on grid 3 is coarser than a wider one).</param>
    public static KanPruneResult Run(KanNetwork net, Tensor x, Tensor y, FullBatchOptions train, KanPruneResult pruned, Action<string>? log = null,
        double tolerance = 2, double floor = 2e-2)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(pruned);
        var layers = net.Layers;
        var active = pruned.ActiveNodes.Select(a => a.ToList()).ToList();
        var edges = pruned.PrunedEdges.ToList();
        var nodes = pruned.PrunedNodes.ToList();
        if (!active.Skip(1).SkipLast(1).Any(a => a.Count > 1)) return pruned;
        FullBatch.Train(net, x, y, train);
        double reference = FullBatch.Rmse(net, x, y);
        double allowed = Math.Max(tolerance * reference, floor * Std(y));
        var scores = KanPruning.EdgeScores(layers, x);
        var candidates = new List<(int Boundary, int Node, double Score)>();
        for (int b = 1; b < layers.Count; b++)
            foreach (int node in active[b])
            {
                double s = 0;
                for (int i = 0; i < layers[b - 1].InFeatures; i++) s = Math.Max(s, scores[b - 1][node * layers[b - 1].InFeatures + i]);
                candidates.Add((b, node, s));
            }
        foreach (var (b, node, _) in candidates.OrderBy(c => c.Score))
        {
            if (active[b].Count <= 1) continue; // a layer keeps at least one node
            var snapshot = Snapshot(net);
            int into = active[b].Where(j => j != node).MaxBy(j => candidates.First(c => c.Boundary == b && c.Node == j).Score);
            if (layers[b - 1].MixLogits is null) Merge(layers[b - 1], node, into); // S-KAN's mixture weights make a sum inexact: plain removal
            var removed = KanPruning.RemoveNode(layers, b, node);
            // The merged node's values span a wider range than the grid its outgoing edges were fitted on.
            if (layers.All(l => l.Splines is not null)) net.UpdateGrid(x);
            FullBatch.Train(net, x, y, train);
            double rmse = FullBatch.Rmse(net, x, y);
            if (rmse <= allowed)
            {
                active[b].Remove(node);
                edges.AddRange(removed);
                nodes.Add((b, node));
                log?.Invoke($"reduced to [{string.Join(", ", active.Select(a => a.Count))}]: node {node} of boundary {b} removed (train RMSE {reference:0.000e+00} → {rmse:0.000e+00}, allowed {allowed:0.000e+00})");
            }
            else
            {
                net.LoadStateDict(snapshot);
                log?.Invoke($"kept node {node} of boundary {b}: without it train RMSE {rmse:0.000e+00} > allowed {allowed:0.000e+00}");
            }
        }
        return new KanPruneResult(active.Select(a => a.ToArray()).ToList(), edges, nodes);
    }

    /// <summary>
    /// Adds node <paramref name="from"/>'s incoming edges onto node <paramref name="into"/>'s, exactly: the pre-activation of
    /// <paramref name="into"/> becomes the sum of both. Per input: scale_base adds; the spline parts sp·Σc·B add with
    /// the new coefficients sp_j·c_j + sp_A·c_A under sp = 1 (the grid is per input, shared by both edges). The bias of the
    /// layer's output, if any, adds too. A symbolic edge is left as it is.
    /// </summary>
    internal static void Merge(KanLayer layer, int from, int into)
    {
        using var _ = Autograd.NoGrad();
        int inF = layer.InFeatures;
        var sp = layer.ScaleSp.AsSpan();
        var sb = layer.ScaleBase is { } t ? t.AsSpan() : default;
        foreach (var coefTensor in layer.Coefficients)
        {
            int nb = coefTensor.Size(2);
            var c = coefTensor.AsSpan();
            for (int i = 0; i < inF; i++)
                for (int k = 0; k < nb; k++)
                    c[(into * inF + i) * nb + k] = sp[into * inF + i] * c[(into * inF + i) * nb + k] + sp[from * inF + i] * c[(from * inF + i) * nb + k];
        }
        for (int i = 0; i < inF; i++)
        {
            sp[into * inF + i] = 1;
            if (!sb.IsEmpty) sb[into * inF + i] += sb[from * inF + i];
            if (layer.IsEdgeActive(from, i)) layer.SetEdgeMask(into, i, true);
        }
        if (layer.Bias is { } bias) { var bv = bias.AsSpan(); bv[into] += bv[from]; }
    }

    private static Dictionary<string, Tensor> Snapshot(KanNetwork net)
    {
        using var _ = Autograd.NoGrad();
        return net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Detach().Clone());
    }

    /// <summary>Population standard deviation of every element, in double.</summary>
    internal static double Std(Tensor y)
    {
        var v = y.Contiguous().AsReadOnlySpan();
        double mean = 0, sq = 0;
        foreach (float f in v) mean += f;
        mean /= Math.Max(v.Length, 1);
        foreach (float f in v) sq += (f - mean) * (f - mean);
        return Math.Sqrt(sq / Math.Max(v.Length, 1));
    }
}
