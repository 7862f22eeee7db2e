using Nonlinear.Activations;
using Nonlinear.Layers;

namespace Nonlinear.Models;

/// <summary>
/// "siren:WxD[,omega=30]": SIREN, D sine layers sin(ω₀·(W·x + b)) of width W and a linear output layer, with SIREN's
/// initialisation (first layer U(±1/n), later layers U(±√(6/n)/ω₀)). Equivalent to the Siren module of
/// Sitzmann et al., "Implicit Neural Representations with Periodic Activation Functions", 2020, with hidden_layers = D − 1
/// and first_omega_0 = hidden_omega_0 = ω₀.
/// </summary>
public sealed class SirenKind : CoordinateNetworkKind
{
    private static readonly IReadOnlyList<SpecParameter> Parameters = [SpecParameter.Number("omega", 30, "ω₀ of every sine layer", 1e-3, 1e4)];

    /// <inheritdoc/>
    public override string Name => "siren";

    /// <inheritdoc/>
    public override string Form => "siren:WxD[,omega=30] (D sine layers of width W), e.g. siren:256x3";

    /// <inheritdoc/>
    public override IReadOnlyList<SpecParameter> KindOptions => Parameters;

    /// <inheritdoc/>
    protected override bool SirenInit => true;

    /// <inheritdoc/>
    protected override Module Nonlinearity(ModelSpec spec, int layer, int width) =>
        new ActivationLayer($"sine(omega={Format(Number(spec, "omega"))})");
}
