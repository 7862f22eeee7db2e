using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Back-propagates from this one-element tensor (a loss): fills <see cref="Grad"/> of every leaf that requires
    /// gradients. The graph is released afterwards unless <paramref name="retainGraph"/> (torch's retain_graph).
    /// With <paramref name="createGraph"/> (torch's create_graph; implies retainGraph) the gradients are recorded and can be
    /// differentiated again; see <see cref="Autograd.Grad"/> to get gradients without touching <see cref="Grad"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not one element; the graph was released by an earlier Backward(); a saved tensor was modified.</exception>
    public void Backward(bool retainGraph = false, bool createGraph = false)
    {
        if (Length != 1)
            throw new InvalidOperationException($"Backward() without a gradient needs a one-element tensor; this one has shape {Shapes.Format(_shape)}. Pass the output gradient.");
        Autograd.Backward(this, new Tensor([1f], _shape.ToArray()), retainGraph, createGraph);
    }

    /// <summary>Back-propagates <paramref name="gradient"/> (same shape as this tensor); see <see cref="Backward(bool, bool)"/>.</summary>
    public void Backward(Tensor gradient, bool retainGraph = false, bool createGraph = false) => Autograd.Backward(this, gradient, retainGraph, createGraph);

    /// <summary>Marks this leaf as requiring gradients and returns it (fluent, like requires_grad_()).</summary>
    public Tensor RequireGrad()
    {
        if (!IsLeaf) throw new InvalidOperationException("RequireGrad() applies to leaves; this tensor was produced by an op.");
        RequiresGrad = true;
        return this;
    }
}
