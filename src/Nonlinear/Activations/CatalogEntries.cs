namespace Nonlinear.Activations;

/// <summary>The explicit list of catalog entries (no reflection, so the library stays trimmable). A new activation adds one line here.</summary>
internal static class CatalogEntries
{
    public static ActivationEntry[] All() =>
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
