using Nonlinear.Activations;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// SnakeBeta f(x) = x + sin²(a·x)/β with learnable "alpha" (frequency) and "beta" (magnitude), per channel by default;
/// gradients in <see cref="SnakeBetaKernel"/>. β is clamped at 1e-4. Lee et al., "BigVGAN", ICLR 2023.
/// </summary>
public sealed class SnakeBeta : LearnableActivation
{
    /// <summary>Registry declaration: "snake_beta(a=1, beta=1, per_channel=true)".</summary>
    public static LearnableUnit Unit { get; } = new("snake_beta", "x + sin²(a·x)/β with learned frequency a and magnitude β",
        [
            SpecParameter.Number("a", 1, "initial frequency a"),
            // β is clamped at 1e-4 in the kernel; a smaller start would be clamped silently.
            SpecParameter.Number("beta", 1, "initial magnitude β", min: 1e-4),
            LearnableUnit.PerChannel(true),
        ],
        a => new SnakeBeta(a.Channels, a.Float("a"), a.Float("beta")))
    {
        Paper = "BigVGAN: A Universal Neural Vocoder with Large-Scale Training", Year = 2023,
    };

    /// <summary>The frequencies a.</summary>
    public Tensor Alpha { get; }
    /// <summary>The magnitudes β.</summary>
    public Tensor Beta { get; }

    /// <summary>One (a, β) per channel (or per layer with channels = 1).</summary>
    public SnakeBeta(int channels = 1, float a = 1f, float beta = 1f) : base(channels)
    {
        if (!float.IsFinite(a)) throw new InvalidInputException($"a must be finite; got {a}.", nameof(a));
        if (!(beta > 0) || !float.IsFinite(beta)) throw new InvalidInputException($"beta must be finite and > 0; got {beta}.", nameof(beta));
        Alpha = RegisterSlot("alpha", 0, [a]);
        Beta = RegisterSlot("beta", 1, [beta]);
    }

    /// <inheritdoc/>
    private protected override Tensor Composed(Tensor x, Func<Tensor, int, Tensor> parameter)
    {
        var s = Ops.Sin(Ops.Mul(parameter(Alpha, 0), x));
        var beta = Ops.Clamp(parameter(Beta, 0), SnakeBetaKernel.MinBeta, float.PositiveInfinity);
        return Ops.Add(x, Ops.Div(Ops.Mul(s, s), beta));
    }
    /// <inheritdoc/>
    private protected override ILearnableOp Op { get; } = new LearnableOp<SnakeBetaKernel>(default);
    /// <inheritdoc/>
    protected override string OpName => "snake_beta";
    /// <summary>"SnakeBeta(channels=…)".</summary>
    public override string ToString() => $"SnakeBeta(channels={Channels})";
}
