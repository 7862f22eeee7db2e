using Nonlinear.Activations;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Catalog activations used as recorded ops inside the learnable units' composed forwards: each declares f″, so the
/// compositions can be differentiated to any order.
/// </summary>
internal static class RecordedMath
{
    private static readonly Activation ReluEntry = ActivationCatalog.Get("relu").Create();
    private static readonly Activation SincEntry = ActivationCatalog.Get("sinc").Create();
    private static readonly Activation SoftplusEntry = ActivationCatalog.Get("softplus").Create();

    /// <summary>max(0, x).</summary>
    public static Tensor Relu(Tensor x) => ReluEntry.Apply(x);
    /// <summary>sin(x)/x (1 at 0).</summary>
    public static Tensor Sinc(Tensor x) => SincEntry.Apply(x);
    /// <summary>ln(1 + eˣ).</summary>
    public static Tensor Softplus(Tensor x) => SoftplusEntry.Apply(x);
}
