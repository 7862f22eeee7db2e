namespace Nonlinear.Activations;

internal static partial class CatalogEntries
{
    /// <summary>Rectified, thresholding, shrinkage, clipped, polynomial and rational forms.</summary>
    private static ActivationEntry[] Piecewise() =>
    [
    ];
}
