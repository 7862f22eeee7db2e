using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>Reshapes [B, d₁, …, dₖ] to [B, d₁·…·dₖ] (torch.nn.Flatten with its default start_dim = 1); a view when contiguous.</summary>
public sealed class Flatten : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1) throw new ArgumentException($"Flatten needs at least a batch dimension; got shape {Shapes.Format(x.Shape)}.", nameof(x));
        int batch = x.Size(0);
        return Ops.Reshape(x, batch, batch == 0 ? 0 : x.Length / batch);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => "start_dim=1, end_dim=-1";
}
