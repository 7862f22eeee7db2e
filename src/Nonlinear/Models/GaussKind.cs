using Nonlinear.Activations;
using Nonlinear.Layers;

namespace Nonlinear.Models;

/// <summary>
/// "gauss:WxD[,s=10]": D layers exp(−(s·z)²/2) of width W (the catalog's gaussian with σ = 1/s) and a linear output,
/// PyTorch's default initialisation. Ramasinghe and Lucey, "Beyond Periodicity: Towards a Unifying Framework for
/// Activations in Coordinate-MLPs", 2022; GARF (Chng et al. 2022) uses the same unit.
/// </summary>
public sealed class GaussKind : CoordinateNetworkKind
{
    private static readonly IReadOnlyList<SpecParameter> Parameters = [SpecParameter.Number("s", 10, "inverse width s", 1e-3, 1e4)];

    /// <inheritdoc/>
    public override string Name => "gauss";

    /// <inheritdoc/>
    public override string Form => "gauss:WxD[,s=10] (D layers exp(−(s·z)²/2) of width W), e.g. gauss:256x3";

    /// <inheritdoc/>
    public override IReadOnlyList<SpecParameter> KindOptions => Parameters;

    /// <inheritdoc/>
    protected override bool SirenInit => false;

    /// <inheritdoc/>
    protected override Module Nonlinearity(ModelSpec spec, int layer, int width) =>
        new ActivationLayer($"gaussian(sigma={Format(1 / Number(spec, "s"))})");
}
