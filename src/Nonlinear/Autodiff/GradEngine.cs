using Nonlinear.Tensors;

namespace Nonlinear.Autodiff;

/// <summary>
/// The reverse pass shared by <see cref="Autograd.Backward(Tensor, Tensor, bool, bool)"/> (gradients added into the leaves)
/// and <see cref="Autograd.Grad"/> (gradients of chosen tensors returned, leaves untouched).
/// </summary>
internal static class GradEngine
{
    /// <summary>
    /// Propagates <paramref name="seeds"/> from <paramref name="roots"/>. With <paramref name="targets"/> null, leaves
    /// accumulate into their Grad and null is returned; otherwise only the part of the graph between the roots and the
    /// targets runs and the targets' gradients are returned (absent = unused). With <paramref name="createGraph"/> every
    /// op runs its differentiable rule with recording on, so the gradients are graph tensors themselves.
    /// </summary>
    public static Dictionary<Tensor, Tensor>? Run(Tensor[] roots, Tensor[] seeds, bool retainGraph, bool createGraph, Tensor[]? targets)
    {
        var order = TopologicalOrder(roots);
        HashSet<Tensor>? targetSet = null, needed = null;
        Dictionary<Tensor, Tensor>? captured = null;
        if (targets is not null)
        {
            targetSet = new HashSet<Tensor>(targets, ReferenceEqualityComparer.Instance);
            needed = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
            captured = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
            // Post-order: every input comes before its op, so one forward sweep marks what leads to a target.
            foreach (var t in order)
                if (targetSet.Contains(t) || (t.Node is { } n && Array.Exists(n.Inputs, needed.Contains))) needed.Add(t);
        }

        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        // First-order passes record nothing; createGraph passes record like the forward did (torch's create_graph).
        var scope = createGraph ? default(Autograd.NoGradScope?) : Autograd.NoGrad();
        try
        {
            for (int r = 0; r < roots.Length; r++)
                grads[roots[r]] = grads.TryGetValue(roots[r], out var prev) ? Ops.Add(prev, seeds[r]) : seeds[r];
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                if (!grads.Remove(t, out var g)) continue;
                if (targetSet is not null && targetSet.Contains(t)) captured![t] = g;
                if (t.Node is null) { if (targets is null) Accumulate(t, g, createGraph); continue; }
                var node = t.Node;
                if (needed is not null && !Array.Exists(node.Inputs, needed.Contains)) continue;
                var inputGrads = node.CheckedRule(createGraph)(g);
                if (!retainGraph) node.Release();
                var inputs = node.Inputs;
                for (int k = 0; k < inputs.Length; k++)
                {
                    var gi = inputGrads[k];
                    if (gi is null || !inputs[k].RequiresGrad || (needed is not null && !needed.Contains(inputs[k]))) continue;
                    if (!Shapes.Equal(gi.Shape, inputs[k].Shape))
                        throw new InvalidOperationException($"op '{node.Name}' returned a gradient of shape {Shapes.Format(gi.Shape)} for input {k} of shape {Shapes.Format(inputs[k].Shape)}.");
                    grads[inputs[k]] = grads.TryGetValue(inputs[k], out var prev) ? Ops.Add(prev, gi) : gi;
                }
            }
        }
        finally { scope?.Dispose(); }
        return captured;
    }

    private static void Accumulate(Tensor leaf, Tensor g, bool createGraph)
    {
        if (createGraph)
        {
            // The gradient stays connected to the graph (torch: leaf.grad has a grad_fn under create_graph); the copy keeps
            // two leaves that received the same tensor (an add's two inputs) from sharing one buffer.
            using (TensorArena.Suspend()) leaf.Grad = leaf.Grad is null ? Ops.Copy(g) : Ops.Add(leaf.Grad, g);
            return;
        }
        // The copy keeps the leaf's gradient from aliasing a buffer the graph may still hold; it outlives the step, so
        // it is never taken from a TensorArena.
        if (leaf.Grad is null)
        {
            using (TensorArena.Suspend()) leaf.Grad = Ops.Copy(g);
            return;
        }
        // Runs every step for every leaf whose buffer ZeroGrad kept: vectorised, no allocation.
        if (!leaf.Grad.IsContiguous) leaf.Grad = Ops.Copy(leaf.Grad);   // a view set by the user: adding into a copy would be lost
        Kernels.Reduce.AddInto(leaf.Grad.AsSpanUntracked(), g.Contiguous().AsSpanUntracked());
    }

    // Depth-first post-order without recursion, so deep graphs (long sequences of ops) cannot overflow the stack.
    // Several roots share one visited set, so the order stays topological across them.
    private static List<Tensor> TopologicalOrder(Tensor[] roots)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, int Next)>();
        foreach (var root in roots)
        {
            if (!visited.Add(root)) continue;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (t, next) = stack.Pop();
                var inputs = t.Node?.Inputs ?? [];
                if (next < inputs.Length)
                {
                    stack.Push((t, next + 1));
                    var child = inputs[next];
                    if (child.RequiresGrad && visited.Add(child)) stack.Push((child, 0));
                }
                else order.Add(t);
            }
        }
        return order;
    }
}
