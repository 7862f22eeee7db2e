namespace Nonlinear.Activations;

/// <summary>The explicit list of catalog entries (no reflection, so the library stays trimmable). A new activation adds one line here.</summary>
/// <remarks>
/// The list is split by family into partial files (CatalogEntries.*.cs) so that families grow independently. Entry files live
/// in family folders but share the namespace Nonlinear.Activations: users find every activation in one place.
/// </remarks>
internal static partial class CatalogEntries
{
    public static ActivationEntry[] All() => [.. Core(), .. Piecewise(), .. Smooth()];

    /// <summary>The foundation's core set (torch.nn's elementwise activations).</summary>
    private static ActivationEntry[] Core() =>
    [
        Identity.Entry,
        Relu.Entry,
        LeakyRelu.Entry,
        Sigmoid.Entry,
        Relu6.Entry,
        Elu.Entry,
        Selu.Entry,
        Celu.Entry,
        Gelu.Entry,
        GeluTanh.Entry,
        Silu.Entry,
        Mish.Entry,
        Softplus.Entry,
        Softsign.Entry,
        Tanh.Entry,
        HardSigmoid.Entry,
        HardTanh.Entry,
        HardSwish.Entry,
        LogSigmoid.Entry,
        Tanhshrink.Entry,
        Softshrink.Entry,
        Hardshrink.Entry,
    ];
}
