using Nonlinear.Activations;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Smooth Activation Unit: leaky ReLU of slope α convolved with N(0, σ²),
/// f(x) = αx + (1−α)(x·Φ(x/σ) + σ·φ(x/σ)); ∂f/∂x = α + (1−α)Φ(x/σ); ∂f/∂α = x − x·Φ − σφ; ∂f/∂σ = (1−α)φ(x/σ).
/// Learnable "alpha" and "sigma", shape [channels]; defaults α = 0.01 (leaky ReLU's slope) and σ = 1 are our choice
/// (the paper treats them as hyper-parameters to tune or train). σ is clamped at 1e-4.
/// Biswas, Kumar, Banerjee and Pandey, "SAU: Smooth activation function using convolution with approximate identities", 2021.
/// </summary>
public sealed class Sau : LearnableActivation
{
    /// <summary>Registry declaration: "sau(alpha=0.01, sigma=1, per_channel=false)".</summary>
    public static LearnableUnit Unit { get; } = new("sau", "leaky ReLU of slope α smoothed by N(0, σ²), with learned α and σ",
        [
            SpecParameter.Number("alpha", 0.01, "initial negative-side slope α"),
            // σ is clamped at 1e-4 in the kernel; a smaller start would be clamped silently.
            SpecParameter.Number("sigma", 1, "initial Gaussian width σ", min: 1e-4),
            LearnableUnit.PerChannel(false),
        ],
        a => new Sau(a.Channels, a.Float("alpha"), a.Float("sigma")))
    {
        Paper = "SAU: Smooth activation function using convolution with approximate identities", Year = 2021,
    };

    /// <summary>α, the slope of the smoothed leaky ReLU's negative side.</summary>
    public Tensor Alpha { get; }
    /// <summary>σ, the width of the Gaussian smoothing.</summary>
    public Tensor Sigma { get; }

    /// <summary>One (α, σ) per layer (channels = 1) or per channel.</summary>
    public Sau(int channels = 1, float alpha = 0.01f, float sigma = 1f) : base(channels)
    {
        if (!float.IsFinite(alpha)) throw new InvalidInputException($"alpha must be finite; got {alpha}.", nameof(alpha));
        if (!(sigma > 0) || !float.IsFinite(sigma)) throw new InvalidInputException($"sigma must be finite and > 0; got {sigma}.", nameof(sigma));
        Alpha = RegisterSlot("alpha", 0, [alpha]);
        Sigma = RegisterSlot("sigma", 1, [sigma]);
    }

    /// <inheritdoc/>
    private protected override Tensor Composed(Tensor x, Func<Tensor, int, Tensor> parameter)
    {
        // αx + (1 − α)·(x·Φ(t) + σ·φ(t)), t = x/σ, Φ(t) = (1 + erf(t/√2))/2, φ(t) = e^(−t²/2)/√(2π).
        var alpha = parameter(Alpha, 0);
        var sigma = Ops.Clamp(parameter(Sigma, 0), SauKernel.MinSigma, float.PositiveInfinity);
        var t = Ops.Div(x, sigma);
        var cdf = Ops.MulScalar(Ops.AddScalar(Ops.Erf(Ops.MulScalar(t, (float)(1 / Math.Sqrt(2)))), 1f), 0.5f);
        var pdf = Ops.MulScalar(Ops.Exp(Ops.MulScalar(Ops.Mul(t, t), -0.5f)), (float)(1 / Math.Sqrt(2 * Math.PI)));
        var h = Ops.Add(Ops.Mul(x, cdf), Ops.Mul(sigma, pdf));
        return Ops.Add(Ops.Mul(alpha, x), Ops.Mul(Ops.AddScalar(Ops.Neg(alpha), 1f), h));
    }
    /// <inheritdoc/>
    private protected override ILearnableOp Op { get; } = new LearnableOp<SauKernel>(default);
    /// <inheritdoc/>
    protected override string OpName => "sau";
    /// <summary>"Sau(channels=…)".</summary>
    public override string ToString() => $"Sau(channels={Channels})";
}
