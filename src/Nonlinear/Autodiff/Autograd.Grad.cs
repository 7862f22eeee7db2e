using Nonlinear.Tensors;

namespace Nonlinear.Autodiff;

public static partial class Autograd
{
    /// <summary>
    /// The gradients of Σₖ ⟨gradOutputsₖ, outputsₖ⟩ with respect to each of <paramref name="inputs"/> (torch.autograd.grad),
    /// without touching any <see cref="Tensor.Grad"/>. Only the part of the graph between the outputs and the inputs runs.
    /// With <paramref name="createGraph"/> the returned gradients are recorded, so they can be differentiated again
    /// (second derivatives, gradient penalties, physics-informed residuals).
    /// </summary>
    /// <param name="outputs">The tensors to differentiate; each must require gradients.</param>
    /// <param name="inputs">The tensors (leaves or intermediate results) to differentiate with respect to.</param>
    /// <param name="gradOutputs">One gradient per output, of its shape; null: every output must have one element and gets 1.</param>
    /// <param name="createGraph">Record the backward pass (torch's create_graph).</param>
    /// <param name="retainGraph">Keep the graph for another backward; null means <paramref name="createGraph"/> (as torch).</param>
    /// <param name="allowUnused">An input the outputs do not depend on gets a zero gradient (torch's allow_unused with
    /// materialize_grads) instead of raising.</param>
    /// <returns>One gradient per input, of its shape.</returns>
    /// <exception cref="ArgumentException">Empty outputs or inputs, mismatched gradOutputs, or an output or input that does not require gradients.</exception>
    /// <exception cref="InvalidOperationException">An input is unused and <paramref name="allowUnused"/> is false; or see <see cref="Backward(Tensor, Tensor, bool, bool)"/>.</exception>
    public static Tensor[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor[]? gradOutputs = null, bool createGraph = false, bool? retainGraph = null, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (outputs.Length == 0) throw new ArgumentException("Grad needs at least one output.", nameof(outputs));
        if (inputs.Length == 0) throw new ArgumentException("Grad needs at least one input.", nameof(inputs));
        if (gradOutputs is not null && gradOutputs.Length != outputs.Length)
            throw new ArgumentException($"gradOutputs has {gradOutputs.Length} tensors; expected one per output ({outputs.Length}).", nameof(gradOutputs));
        var seeds = new Tensor[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            var o = outputs[i];
            if (!o.RequiresGrad)
                throw new ArgumentException($"output {i} (shape {Shapes.Format(o.Shape)}) does not require gradients: nothing it was computed from has RequiresGrad = true.", nameof(outputs));
            if (gradOutputs is null)
            {
                if (o.Length != 1)
                    throw new ArgumentException($"output {i} has shape {Shapes.Format(o.Shape)}; without gradOutputs every output must have one element.", nameof(gradOutputs));
                seeds[i] = Tensor.Full(1f, o.Shape.ToArray());
            }
            else if (!Shapes.Equal(gradOutputs[i].Shape, o.Shape))
                throw new ArgumentException($"gradOutputs[{i}] has shape {Shapes.Format(gradOutputs[i].Shape)}; output {i} has shape {Shapes.Format(o.Shape)}.", nameof(gradOutputs));
            else seeds[i] = gradOutputs[i];
        }
        for (int i = 0; i < inputs.Length; i++)
            if (!inputs[i].RequiresGrad)
                throw new ArgumentException($"input {i} (shape {Shapes.Format(inputs[i].Shape)}) does not require gradients.", nameof(inputs));

        var found = GradEngine.Run(outputs, seeds, retainGraph ?? createGraph, createGraph, inputs)!;
        var result = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (found.TryGetValue(inputs[i], out var g)) result[i] = g;
            else if (allowUnused) result[i] = Tensor.Zeros(inputs[i].Shape.ToArray());
            else throw new InvalidOperationException($"input {i} (shape {Shapes.Format(inputs[i].Shape)}) was not used to compute the outputs; pass allowUnused: true to get zeros.");
        }
        return result;
    }

    /// <summary>
    /// Hessian-vector product: H·v where H is the Hessian of the one-element <paramref name="output"/> with respect to
    /// <paramref name="inputs"/> (taken together) and v is <paramref name="vectors"/> (one per input, of its shape).
    /// Two reverse passes (Pearlmutter's trick: ∇(∇f·v)); the graph of <paramref name="output"/> is kept.
    /// </summary>
    /// <exception cref="ArgumentException">vectors does not match inputs in count or shapes.</exception>
    public static Tensor[] Hvp(Tensor output, Tensor[] inputs, Tensor[] vectors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Length != inputs.Length)
            throw new ArgumentException($"Hvp needs one vector per input: {vectors.Length} vectors for {inputs.Length} inputs.", nameof(vectors));
        for (int i = 0; i < inputs.Length; i++)
            if (!Shapes.Equal(vectors[i].Shape, inputs[i].Shape))
                throw new ArgumentException($"vectors[{i}] has shape {Shapes.Format(vectors[i].Shape)}; input {i} has shape {Shapes.Format(inputs[i].Shape)}.", nameof(vectors));
        var grads = Grad([output], inputs, createGraph: true, allowUnused: true);
        Tensor? dot = null;
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!grads[i].RequiresGrad) continue;   // a gradient constant in the inputs: its part of H is zero
            var term = Ops.Sum(Ops.Mul(grads[i], vectors[i].Detach()));
            dot = dot is null ? term : Ops.Add(dot, term);
        }
        if (dot is null) return inputs.Select(t => Tensor.Zeros(t.Shape.ToArray())).ToArray();
        var hv = Grad([dot], inputs, retainGraph: true, allowUnused: true);
        return hv;
    }
}
