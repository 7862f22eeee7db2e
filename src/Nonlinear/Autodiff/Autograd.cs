using Nonlinear.Tensors;

namespace Nonlinear.Autodiff;

/// <summary>Controls gradient recording and runs reverse-mode differentiation.</summary>
public static class Autograd
{
    [ThreadStatic] private static int _noGradDepth;

    /// <summary>True unless the current thread is inside a <see cref="NoGrad"/> scope.</summary>
    public static bool IsEnabled => _noGradDepth == 0;

    /// <summary>Within the returned scope no op records a backward rule (like torch.no_grad()).</summary>
    public static NoGradScope NoGrad()
    {
        _noGradDepth++;
        return new NoGradScope();
    }

    /// <summary>Ends a <see cref="NoGrad"/> scope.</summary>
    public readonly struct NoGradScope : IDisposable
    {
        /// <summary>Re-enables recording (scopes nest).</summary>
        public void Dispose() => _noGradDepth--;
    }

    /// <summary>True when an op on these inputs must record its backward rule.</summary>
    public static bool ShouldRecord(params ReadOnlySpan<Tensor> inputs)
    {
        if (_noGradDepth != 0) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>
    /// Attaches a backward rule to <paramref name="result"/> when any input requires gradients; returns result.
    /// Every op calls this once, next to its forward code. <paramref name="saved"/> lists the tensors the rule
    /// reads (torch's saved tensors): their <see cref="Tensor.Version"/> is noted now and checked at backward, so a
    /// write in between raises instead of giving a wrong gradient. Null means all inputs; ops whose rule reads no
    /// tensor (add, reshape, slice, sum) pass an empty array so later writes to their inputs stay legal.
    /// </summary>
    public static Tensor Record(Tensor result, string opName, Tensor[] inputs, BackwardRule rule, Tensor[]? saved = null)
    {
        if (!ShouldRecord(inputs)) return result;
        result.Node = new GradNode(opName, inputs, rule, saved ?? inputs);
        result.RequiresGrad = true;
        return result;
    }

    /// <summary>
    /// Back-propagates <paramref name="seed"/> (the gradient of some scalar with respect to <paramref name="root"/>)
    /// through the recorded graph and adds the gradients of the leaves into their <see cref="Tensor.Grad"/>.
    /// Unless <paramref name="retainGraph"/>, every op it passes drops its backward rule and the buffers it
    /// holds, so a second Backward() through them raises (as torch without retain_graph).
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph was released by an earlier Backward(), or a tensor an op saved was modified after the op ran.</exception>
    public static void Backward(Tensor root, Tensor seed, bool retainGraph = false)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException("Backward() on a tensor that does not require gradients: no input of the computation had RequiresGrad = true.");
        if (!Shapes.Equal(root.Shape, seed.Shape))
            throw new ArgumentException($"gradient shape {Shapes.Format(seed.Shape)} does not match the tensor's shape {Shapes.Format(root.Shape)}.", nameof(seed));

        var order = TopologicalOrder(root);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = seed };
        using var _ = NoGrad();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (!grads.Remove(t, out var g)) continue;
            if (t.Node is null) { Accumulate(t, g); continue; }
            var inputGrads = t.Node.CheckedRule()(g);
            if (!retainGraph) t.Node.Release();
            var inputs = t.Node.Inputs;
            for (int k = 0; k < inputs.Length; k++)
            {
                var gi = inputGrads[k];
                if (gi is null || !inputs[k].RequiresGrad) continue;
                if (!Shapes.Equal(gi.Shape, inputs[k].Shape))
                    throw new InvalidOperationException($"op '{t.Node.Name}' returned a gradient of shape {Shapes.Format(gi.Shape)} for input {k} of shape {Shapes.Format(inputs[k].Shape)}.");
                grads[inputs[k]] = grads.TryGetValue(inputs[k], out var prev) ? Ops.Add(prev, gi) : gi;
            }
        }
    }

    /// <summary>
    /// The gradient buffer a backward rule may add into directly instead of returning a gradient for
    /// <paramref name="input"/>: non-null only for a leaf that requires gradients and already has a contiguous
    /// gradient of its own shape (kept across steps by ZeroGrad).
    /// </summary>
    internal static Tensor? AccumulationTarget(Tensor input) =>
        input.IsLeaf && input.RequiresGrad && input.Grad is { IsContiguous: true } g && Shapes.Equal(g.Shape, input.Shape) ? g : null;

    private static void Accumulate(Tensor leaf, Tensor g)
    {
        // The copy keeps the leaf's gradient from aliasing a buffer the graph may still hold.
        if (leaf.Grad is null) { leaf.Grad = Ops.Copy(g); return; }
        // Runs every step for every leaf whose buffer ZeroGrad kept: vectorised, no allocation.
        if (!leaf.Grad.IsContiguous) leaf.Grad = Ops.Copy(leaf.Grad);   // a view set by the user: adding into a copy would be lost
        Kernels.Reduce.AddInto(leaf.Grad.AsSpanUntracked(), g.Contiguous().AsSpanUntracked());
    }

    // Depth-first post-order without recursion, so deep graphs (long sequences of ops) cannot overflow the stack.
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
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
        return order;
    }
}
