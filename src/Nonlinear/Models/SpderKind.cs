using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Layers.Inr;

namespace Nonlinear.Models;

/// <summary>
/// "spder:WxD[,omega=30]": SPDER, SIREN's network and initialisation with the damped sine sin(ω₀·z)·√|z| (z = W·x + b)
/// in place of sin(ω₀·z). Shah and Sitawarin, "SPDER: Semiperiodic Damping-Enabled Object Representation", 2023.
/// Computed as spder(ω₀·z)/√ω₀ through the catalog's fused spder(u) = sin(u)·√|u|.
/// </summary>
public sealed class SpderKind : CoordinateNetworkKind
{
    private static readonly IReadOnlyList<SpecParameter> Parameters = [SpecParameter.Number("omega", 30, "ω₀ inside the sine", 1e-3, 1e4)];

    /// <inheritdoc/>
    public override string Name => "spder";

    /// <inheritdoc/>
    public override string Form => "spder:WxD[,omega=30] (D layers sin(ω₀z)·√|z| of width W), e.g. spder:256x3";

    /// <inheritdoc/>
    public override IReadOnlyList<SpecParameter> KindOptions => Parameters;

    /// <inheritdoc/>
    protected override bool SirenInit => true;

    /// <inheritdoc/>
    protected override Module Nonlinearity(ModelSpec spec, int layer, int width)
    {
        double omega = Number(spec, "omega");
        return new ScaledActivation(ActivationCatalog.Parse("spder"), omega, 1 / Math.Sqrt(omega));
    }
}
