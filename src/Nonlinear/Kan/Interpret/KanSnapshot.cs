using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>
/// A copy of a KAN's parameters, buffers (grids, masks) and symbolic edges, so a symbolic attempt can be undone and
/// another tried on the same trained network. Layer shapes and grid sizes must not change between take and restore.
/// </summary>
internal sealed class KanSnapshot
{
    private readonly Dictionary<string, Tensor> _state;
    private readonly List<(int Output, int Input, SymbolicEdge Edge)>[] _symbolic;

    private KanSnapshot(Dictionary<string, Tensor> state, List<(int, int, SymbolicEdge)>[] symbolic) => (_state, _symbolic) = (state, symbolic);

    /// <summary>Copies <paramref name="net"/>'s state.</summary>
    public static KanSnapshot Take(KanNetwork net)
    {
        var state = net.StateDict().ToDictionary(kv => kv.Key, kv => Tensor.FromArray(kv.Value.Contiguous().AsSpanUntracked().ToArray(), kv.Value.Shape.ToArray()));
        return new KanSnapshot(state, net.Layers.Select(l => l.SymbolicEdges.ToList()).ToArray());
    }

    /// <summary>Puts the copied state back into <paramref name="net"/> (the network it was taken from).</summary>
    public void Restore(KanNetwork net)
    {
        net.LoadStateDict(_state);
        for (int l = 0; l < net.Layers.Count; l++)
        {
            var layer = net.Layers[l];
            foreach (var (o, i, _) in layer.SymbolicEdges.ToList()) layer.ClearSymbolic(o, i);
            // keepNumeric: the restored mask already says whether the learned function is active.
            foreach (var (o, i, e) in _symbolic[l]) layer.SetSymbolic(o, i, e, keepNumeric: true);
        }
    }
}
