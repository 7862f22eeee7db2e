using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Layers.Inr;
using Nonlinear.Tensors;

namespace Nonlinear.Models;

/// <summary>
/// "finer:WxD[,omega=30,bias=1]": FINER, SIREN's network with the variable-periodic sin(ω₀·(|z| + 1)·z) and the first
/// layer's bias drawn from U(±k) (k = bias; a larger k reaches higher frequencies). Liu et al., "FINER: Flexible
/// Spectral-bias Tuning in Implicit NEural Representation by Variable-periodic Activation Functions", CVPR 2024.
/// </summary>
/// <remarks>
/// The authors' code computes |z| + 1 under no_grad, so their backward treats it as a constant; ours differentiates the
/// function exactly (f′ = ω₀·(2|z| + 1)·cos(ω₀(|z| + 1)z)), which gradient (Poisson) supervision needs.
/// </remarks>
public sealed class FinerKind : CoordinateNetworkKind
{
    private static readonly IReadOnlyList<SpecParameter> Parameters =
    [
        SpecParameter.Number("omega", 30, "ω₀ of every layer", 1e-3, 1e4),
        SpecParameter.Number("bias", 1, "k of the first layer's bias U(±k)", 0, 1e3),
    ];

    /// <inheritdoc/>
    public override string Name => "finer";

    /// <inheritdoc/>
    public override string Form => "finer:WxD[,omega=30,bias=1] (D layers sin(ω₀(|z|+1)z) of width W), e.g. finer:256x3";

    /// <inheritdoc/>
    public override IReadOnlyList<SpecParameter> KindOptions => Parameters;

    /// <inheritdoc/>
    protected override bool SirenInit => true;

    /// <inheritdoc/>
    protected override Module Nonlinearity(ModelSpec spec, int layer, int width) => new FinerActivation(Number(spec, "omega"));

    /// <inheritdoc/>
    protected override void InitFirstBias(ModelSpec spec, Linear first, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(first);
        double k = Number(spec, "bias");
        if (first.Bias is not null) Init.Uniform(first.Bias, rng, -k, k);
    }
}
