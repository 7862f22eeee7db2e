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
    ];
}
