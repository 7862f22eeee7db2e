using Nonlinear.Activations;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Adaptive Parametric Activation with learnable κ and λ: APA(x) = (λ·e^(−κx) + 1)^(−1/λ); in hidden layers the gated
/// form AGLU f(x) = x·APA(x) (default), with <c>gated: false</c> f = APA. ∂f/∂x, ∂f/∂κ, ∂f/∂λ as in <see cref="ApaKernel"/>.
/// κ = λ = 1 (the default) starts as SiLU (gated) or the sigmoid (plain); λ is clamped at 1e-4 as in the authors' code.
/// Parameters "kappa" and "lambda", shape [channels]. Alexandridis, Deng, Nguyen and Luo, "Adaptive Parametric
/// Activation", ECCV 2024.
/// </summary>
public sealed class Apa : LearnableActivation
{
    /// <summary>Registry declaration: "apa(kappa=1, lambda=1, gated=true, per_channel=false)".</summary>
    public static LearnableUnit Unit { get; } = new("apa", "(λ·e^(−κx) + 1)^(−1/λ), gated x·APA(x) by default, with learned κ and λ",
        [
            SpecParameter.Number("kappa", 1, "initial steepness κ"),
            // The kernel clamps λ at 1e-4 (as the authors' code); a smaller start would be clamped silently.
            SpecParameter.Number("lambda", 1, "initial asymmetry λ (1 = sigmoid, → 0 = Gumbel)", min: 1e-4),
            SpecParameter.Boolean("gated", true, "x·APA(x) (AGLU, for hidden layers) or APA alone"),
            LearnableUnit.PerChannel(false),
        ],
        a => new Apa(a.Channels, a.Float("kappa"), a.Float("lambda"), a.Bool("gated")))
    {
        Aliases = ["adaptive_parametric_activation"], Paper = "Adaptive Parametric Activation", Year = 2024,
    };

    private readonly bool _gated;

    /// <summary>κ (steepness), shape [channels].</summary>
    public Tensor Kappa { get; }
    /// <summary>λ (asymmetry; 1 = sigmoid, → 0 = Gumbel), shape [channels].</summary>
    public Tensor Lambda { get; }

    /// <summary>One (κ, λ) per layer (channels = 1) or per channel.</summary>
    public Apa(int channels = 1, float kappa = 1f, float lambda = 1f, bool gated = true) : base(channels)
    {
        if (!float.IsFinite(kappa)) throw new InvalidInputException($"kappa must be finite; got {kappa}.", nameof(kappa));
        if (!(lambda > 0) || !float.IsFinite(lambda)) throw new InvalidInputException($"lambda must be finite and > 0; got {lambda}.", nameof(lambda));
        _gated = gated;
        Kappa = RegisterSlot("kappa", 0, [kappa]);
        Lambda = RegisterSlot("lambda", 1, [lambda]);
    }

    /// <summary>Whether f = x·APA(x) (AGLU) rather than APA(x).</summary>
    internal bool Gated => _gated;
    /// <inheritdoc/>
    private protected override Tensor Composed(Tensor x, Func<Tensor, int, Tensor> parameter)
    {
        // APA = exp(−softplus(ln λ − κx)/λ), the kernel's overflow-free form of (λ·e^(−κx) + 1)^(−1/λ).
        var lambda = Ops.Clamp(parameter(Lambda, 0), ApaKernel.MinLambda, float.PositiveInfinity);
        var s = Ops.Sub(Ops.Log(lambda), Ops.Mul(parameter(Kappa, 0), x));
        var apa = Ops.Exp(Ops.Neg(Ops.Div(RecordedMath.Softplus(s), lambda)));
        return _gated ? Ops.Mul(x, apa) : apa;
    }
    /// <inheritdoc/>
    private protected override ILearnableOp Op => new LearnableOp<ApaKernel>(new(_gated));
    /// <inheritdoc/>
    protected override string OpName => _gated ? "aglu" : "apa";
    /// <summary>"Apa(channels=…, gated=…)".</summary>
    public override string ToString() => $"Apa(channels={Channels}, gated={_gated})";
}
