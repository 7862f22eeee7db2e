using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>"mlp:W1,W2,…": Linear → activation per hidden width, then Linear to the outputs; "mlp:" alone is a linear model.</summary>
public sealed class MlpKind : ModelKind
{
    /// <inheritdoc/>
    public override string Name => "mlp";

    /// <inheritdoc/>
    public override string Form => "mlp:W1,W2,… hidden widths, e.g. mlp:256,256 (mlp: alone is a linear model)";

    /// <inheritdoc/>
    public override Module Build(ModelSpec spec, int inputs, int outputs, Func<int, Module>? activation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(activation);
        var layers = new List<Module>();
        int width = inputs;
        foreach (int h in spec.Widths)
        {
            layers.Add(new Linear(width, h, rng));
            layers.Add(activation(h));
            width = h;
        }
        layers.Add(new Linear(width, outputs, rng));
        return new Sequential(layers.ToArray());
    }
}
