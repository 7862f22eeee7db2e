using Nonlinear.Activations;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>y = f(x) elementwise for an activation from the catalog (torch.nn.ReLU, torch.nn.GELU, …); no parameters.</summary>
public sealed class ActivationLayer : Module
{
    /// <summary>The activation applied.</summary>
    public Activation Activation { get; }

    /// <summary>Wraps an activation instance.</summary>
    public ActivationLayer(Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        Activation = activation;
    }

    /// <summary>Looks the activation up by spec through <see cref="ActivationCatalog.Parse"/>, e.g. "relu" or "leaky_relu(0.2)".</summary>
    public ActivationLayer(string spec) : this(ActivationCatalog.Parse(spec)) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Activation.Apply(x);

    /// <summary>The activation's spec, e.g. "leaky_relu(negative_slope=0.2)".</summary>
    public override string ToString() => Activation.ToString();
}
