using Nonlinear.Tensors;

namespace Nonlinear.Autodiff;

/// <summary>Controls gradient recording and runs reverse-mode differentiation.</summary>
public static partial class Autograd
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
    /// <param name="result">The op's output.</param>
    /// <param name="opName">The op's name, used in error messages.</param>
    /// <param name="inputs">The op's tensor inputs, in the order the rule returns their gradients.</param>
    /// <param name="rule">The backward rule (may use fused kernels; runs with recording off).</param>
    /// <param name="saved">The tensors the rule reads (null: all inputs).</param>
    /// <param name="differentiable">The same gradients written with recorded ops (Ops.Mul, Ops.MatMul, …), run with recording
    /// on when a backward pass has createGraph so its result can be differentiated again; pass <paramref name="rule"/>
    /// itself when that rule already uses only recorded ops. Null: a createGraph backward through this op raises.</param>
    public static Tensor Record(Tensor result, string opName, Tensor[] inputs, BackwardRule rule, Tensor[]? saved = null, BackwardRule? differentiable = null)
    {
        if (!ShouldRecord(inputs)) return result;
        result.Node = new GradNode(opName, inputs, rule, saved ?? inputs, differentiable);
        result.RequiresGrad = true;
        return result;
    }

    /// <summary>
    /// Back-propagates <paramref name="seed"/> (the gradient of some scalar with respect to <paramref name="root"/>)
    /// through the recorded graph and adds the gradients of the leaves into their <see cref="Tensor.Grad"/>.
    /// Unless <paramref name="retainGraph"/>, every op it passes drops its backward rule and the buffers it
    /// holds, so a second Backward() through them raises (as torch without retain_graph). With
    /// <paramref name="createGraph"/> (torch's create_graph, which implies retain_graph) the backward pass is itself
    /// recorded: the leaves' gradients can be differentiated again.
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph was released by an earlier Backward(), a tensor an op saved was
    /// modified after the op ran, or (with createGraph) an op on the path has no differentiable backward.</exception>
    public static void Backward(Tensor root, Tensor seed, bool retainGraph = false, bool createGraph = false)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException("Backward() on a tensor that does not require gradients: no input of the computation had RequiresGrad = true.");
        if (!Shapes.Equal(root.Shape, seed.Shape))
            throw new ArgumentException($"gradient shape {Shapes.Format(seed.Shape)} does not match the tensor's shape {Shapes.Format(root.Shape)}.", nameof(seed));
        GradEngine.Run([root], [seed], retainGraph || createGraph, createGraph, targets: null);
    }

    /// <summary>Record for an op whose backward rule uses only recorded ops, so it serves createGraph unchanged.</summary>
    internal static Tensor RecordComposed(Tensor result, string opName, Tensor[] inputs, BackwardRule rule, Tensor[]? saved = null) =>
        Record(result, opName, inputs, rule, saved, rule);

    /// <summary>
    /// The gradient buffer a backward rule may add into directly instead of returning a gradient for
    /// <paramref name="input"/>: non-null only for a leaf that requires gradients and already has a contiguous
    /// gradient of its own shape (kept across steps by ZeroGrad).
    /// </summary>
    internal static Tensor? AccumulationTarget(Tensor input) =>
        input.IsLeaf && input.RequiresGrad && input.Grad is { IsContiguous: true } g && Shapes.Equal(g.Shape, input.Shape) ? g : null;
}
