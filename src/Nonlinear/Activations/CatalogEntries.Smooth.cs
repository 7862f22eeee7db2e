namespace Nonlinear.Activations;

internal static partial class CatalogEntries
{
    /// <summary>Sigmoidal, self-gated, exponential/softplus-like, periodic and radial forms.</summary>
    private static ActivationEntry[] Smooth() =>
    [
    ];
}
