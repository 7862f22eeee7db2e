using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// SnakeBeta f(x) = x + sin²(a·x)/β with learnable "alpha" (frequency) and "beta" (magnitude), per channel by default;
/// gradients in <see cref="SnakeBetaKernel"/>. β is clamped at 1e-4. Lee et al., "BigVGAN", ICLR 2023.
/// </summary>
public sealed class SnakeBeta : LearnableActivation<SnakeBetaKernel>
{
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
    protected override SnakeBetaKernel Kernel => default;
    /// <inheritdoc/>
    protected override string OpName => "snake_beta";
    /// <summary>"SnakeBeta(channels=…)".</summary>
    public override string ToString() => $"SnakeBeta(channels={Channels})";
}
