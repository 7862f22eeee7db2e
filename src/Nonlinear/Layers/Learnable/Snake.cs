using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Snake activation f(x) = x + sin²(a·x)/a with learnable frequency "alpha" (one per channel by default, shape
/// [channels]); ∂f/∂x = 1 + sin(2ax), ∂f/∂a = x·sin(2ax)/a − sin²(ax)/a² (x² at a = 0). Ziyin, Hartwig and Ueda,
/// "Neural Networks Fail to Learn Periodic Functions and How to Fix It", NeurIPS 2020: a ReLU or tanh network
/// extrapolates a periodic function as a line or a constant; Snake keeps oscillating.
/// </summary>
public sealed class Snake : LearnableActivation<SnakeKernel>
{
    /// <summary>The frequencies a.</summary>
    public Tensor Alpha { get; }

    /// <summary>One a per channel (or one per layer with channels = 1), each initialised to <paramref name="a"/> (paper: 0.5 to 50 by task).</summary>
    public Snake(int channels = 1, float a = 1f) : base(channels)
    {
        if (!float.IsFinite(a) || a == 0) throw new InvalidInputException($"a must be finite and non-zero; got {a}.", nameof(a));
        Alpha = RegisterSlot("alpha", 0, [a]);
    }

    /// <inheritdoc/>
    protected override SnakeKernel Kernel => default;
    /// <inheritdoc/>
    protected override string OpName => "snake";
    /// <summary>"Snake(channels=…)".</summary>
    public override string ToString() => $"Snake(channels={Channels})";
}
