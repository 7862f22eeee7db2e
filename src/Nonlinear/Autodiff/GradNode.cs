using Nonlinear.Tensors;

namespace Nonlinear.Autodiff;

/// <summary>
/// Computes the gradients of an op's inputs from the gradient of its output. Returns one entry per input,
/// null where the input needs no gradient. Each entry must have its input's shape.
/// </summary>
public delegate Tensor?[] BackwardRule(Tensor outputGrad);

/// <summary>
/// One recorded op: its inputs, the rule that sends the output's gradient back to them, and the versions of the
/// tensors the rule reads (its saved tensors) at the time the op ran.
/// </summary>
internal sealed class GradNode
{
    private Tensor[] _saved;
    private int[] _savedVersions;

    public GradNode(string name, Tensor[] inputs, BackwardRule rule, Tensor[] saved, BackwardRule? differentiableRule)
    {
        Name = name;
        Inputs = inputs;
        Rule = rule;
        DifferentiableRule = differentiableRule;
        _saved = saved;
        _savedVersions = new int[saved.Length];
        for (int i = 0; i < saved.Length; i++) _savedVersions[i] = saved[i].Version;
    }

    public string Name { get; }
    public Tensor[] Inputs { get; }

    /// <summary>The backward rule; null once a Backward() without retainGraph has run it (its closure, and the buffers it holds, are dropped).</summary>
    public BackwardRule? Rule { get; private set; }

    /// <summary>
    /// The rule written with recorded ops, run with recording on under createGraph so the gradients it returns can be
    /// differentiated again; null when the op has none (a createGraph backward through it then raises).
    /// </summary>
    public BackwardRule? DifferentiableRule { get; private set; }

    /// <summary>Drops the rule so the buffers its closure captured can be collected (torch frees saved tensors the same way).</summary>
    public void Release()
    {
        Rule = null;
        DifferentiableRule = null;
        _saved = [];
        _savedVersions = [];
    }

    /// <summary>The rule, after checking it was not released and that no saved tensor was written since the op ran.</summary>
    /// <exception cref="InvalidOperationException">The graph was released by an earlier Backward(), a saved tensor changed,
    /// or <paramref name="differentiable"/> is asked of an op without a differentiable backward.</exception>
    public BackwardRule CheckedRule(bool differentiable = false)
    {
        var rule = Rule ?? throw new InvalidOperationException(
            $"Backward() through op '{Name}' a second time: the first Backward() released the tensors it saved. " +
            "Pass retainGraph: true to the first Backward() to keep them (torch: retain_graph=True).");
        if (differentiable)
            rule = DifferentiableRule ?? throw new InvalidOperationException(
                $"op '{Name}' has no differentiable backward yet: createGraph (higher-order gradients) cannot pass through it. " +
                "Use createGraph: false, or compose the computation from ops that support it.");
        for (int i = 0; i < _saved.Length; i++)
        {
            if (_saved[i].VersionCounter.Released)
                throw new InvalidOperationException(
                    $"op '{Name}' saved a tensor (shape {Shapes.Format(_saved[i].Shape)}) whose storage a closed TensorArena scope took back: " +
                    "run Backward() inside the scope that ran the forward pass.");
            int now = _saved[i].Version;
            if (now != _savedVersions[i])
                throw new InvalidOperationException(
                    $"one of the tensors needed for gradient computation has been modified by an in-place operation: " +
                    $"saved by '{Name}' at version {_savedVersions[i]}, now {now} (tensor of shape {Shapes.Format(_saved[i].Shape)}). " +
                    "Change a Clone() instead, or run the forward pass again after the change.");
        }
        return rule;
    }
}
