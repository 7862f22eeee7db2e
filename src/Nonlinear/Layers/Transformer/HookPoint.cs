using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// y = x: a named place in a model where hooks observe or replace an activation (TransformerLens's HookPoint), e.g.
/// <c>blocks.0.hook_resid_post</c>. Costs one null check when no hook is registered.
/// </summary>
public sealed class HookPoint : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x;
}
