using Nonlinear.Activations;

namespace Nonlinear.Spiking;

/// <summary>One catalog row: name, aliases, the slope's default and meaning, and the constructor.</summary>
/// <param name="Name">Canonical name.</param>
/// <param name="DefaultSlope">The slope when the spec gives none.</param>
/// <param name="SlopeMeaning">What the slope is, for help.</param>
/// <param name="Create">Builds the surrogate for a validated slope.</param>
/// <param name="Aliases">Other accepted names.</param>
internal sealed record SurrogateEntry(string Name, double DefaultSlope, string SlopeMeaning, Func<double, SurrogateGradient> Create, string[]? Aliases = null)
{
    /// <summary>The one parameter every surrogate takes: a positive, finite slope.</summary>
    public SpecParameter Parameter { get; } = SpecParameter.Number("slope", DefaultSlope, SlopeMeaning, min: 1e-6, max: 1e6);
}
