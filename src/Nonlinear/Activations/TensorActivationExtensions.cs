using Nonlinear.Tensors;

namespace Nonlinear.Activations;

/// <summary>
/// torch-style activation calls on a tensor (<c>x.Relu()</c>, <c>x.Apply("gelu")</c>). Extension methods here
/// rather than methods on <see cref="Tensor"/> because Tensors sit below Activations and must not know the catalog.
/// </summary>
public static class TensorActivationExtensions
{
    private static readonly Activation ReluActivation = ActivationCatalog.Parse("relu");
    private static readonly Activation SigmoidActivation = ActivationCatalog.Parse("sigmoid");

    /// <summary>f(x) elementwise with gradient (<see cref="Activation.Apply"/>).</summary>
    public static Tensor Apply(this Tensor x, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return activation.Apply(x);
    }

    /// <summary>The activation named by <paramref name="spec"/> ("gelu", "leaky_relu(0.2)"; <see cref="ActivationCatalog.Parse"/>) applied elementwise.</summary>
    public static Tensor Apply(this Tensor x, string spec) => ActivationCatalog.Parse(spec).Apply(x);

    /// <summary>max(0, x) (torch.relu).</summary>
    public static Tensor Relu(this Tensor x) => ReluActivation.Apply(x);

    /// <summary>1/(1+e⁻ˣ) (torch.sigmoid).</summary>
    public static Tensor Sigmoid(this Tensor x) => SigmoidActivation.Apply(x);
}
