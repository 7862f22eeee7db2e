using Nonlinear.Activations;
using Nonlinear.Layers;

namespace Nonlinear.Models;

/// <summary>
/// "gabor:WxD[,omega=20,s=10]": D layers of the real Gabor wavelet cos(ω·z)·exp(−(s·z)²) of width W and a linear
/// output, PyTorch's default initialisation: WIRE's RealGaborLayer (Saragadam et al., "WIRE: Wavelet Implicit Neural
/// Representations", 2023). WIRE's own network is complex-valued; this real form is what we build (no complex numbers).
/// </summary>
public sealed class GaborKind : CoordinateNetworkKind
{
    private static readonly IReadOnlyList<SpecParameter> Parameters =
    [
        SpecParameter.Number("omega", 20, "frequency ω", 0, 1e4),
        SpecParameter.Number("s", 10, "inverse width s", 1e-3, 1e4),
    ];

    /// <inheritdoc/>
    public override string Name => "gabor";

    /// <inheritdoc/>
    public override string Form => "gabor:WxD[,omega=20,s=10] (D layers cos(ωz)·exp(−(sz)²) of width W), e.g. gabor:256x3";

    /// <inheritdoc/>
    public override IReadOnlyList<SpecParameter> KindOptions => Parameters;

    /// <inheritdoc/>
    protected override bool SirenInit => false;

    /// <inheritdoc/>
    protected override Module Nonlinearity(ModelSpec spec, int layer, int width) =>
        new ActivationLayer($"gabor(omega={Format(Number(spec, "omega"))},s={Format(Number(spec, "s"))})");
}
