using Nonlinear.Activations;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Snake activation f(x) = x + sin²(a·x)/a with learnable frequency "alpha" (one per channel by default, shape
/// [channels]); ∂f/∂x = 1 + sin(2ax), ∂f/∂a = x·sin(2ax)/a − sin²(ax)/a² (x² at a = 0). Ziyin, Hartwig and Ueda,
/// "Neural Networks Fail to Learn Periodic Functions and How to Fix It", NeurIPS 2020: a ReLU or tanh network
/// extrapolates a periodic function as a line or a constant; Snake keeps oscillating.
/// </summary>
public sealed class Snake : LearnableActivation
{
    /// <summary>Registry declaration: "snake(a=1, per_channel=true)"; the fixed-frequency catalog entry is snake_fixed.</summary>
    public static LearnableUnit Unit { get; } = new("snake", "x + sin²(a·x)/a with learned frequency a",
        // a > 0 as in the paper (0.5 to 50 by task); a = 0 is a removable singularity the module refuses.
        [SpecParameter.Number("a", 1, "initial frequency a", min: 1e-6), LearnableUnit.PerChannel(true)],
        a => new Snake(a.Channels, a.Float("a")))
    {
        Paper = "Neural Networks Fail to Learn Periodic Functions and How to Fix It", Year = 2020,
    };

    /// <summary>The frequencies a.</summary>
    public Tensor Alpha { get; }

    /// <summary>One a per channel (or one per layer with channels = 1), each initialised to <paramref name="a"/> (paper: 0.5 to 50 by task).</summary>
    public Snake(int channels = 1, float a = 1f) : base(channels)
    {
        if (!float.IsFinite(a) || a == 0) throw new InvalidInputException($"a must be finite and non-zero; got {a}.", nameof(a));
        Alpha = RegisterSlot("alpha", 0, [a]);
    }

    /// <inheritdoc/>
    private protected override Tensor Composed(Tensor x, Func<Tensor, int, Tensor> parameter)
    {
        // sin²(ax)/a = a·x²·sinc²(ax): the same function, and defined at a = 0 (f = x there, as the kernel has it).
        var a = parameter(Alpha, 0);
        var s = RecordedMath.Sinc(Ops.Mul(a, x));
        return Ops.Add(x, Ops.Mul(a, Ops.Mul(Ops.Mul(x, x), Ops.Mul(s, s))));
    }
    /// <inheritdoc/>
    private protected override ILearnableOp Op { get; } = new LearnableOp<SnakeKernel>(default);
    /// <inheritdoc/>
    protected override string OpName => "snake";
    /// <summary>"Snake(channels=…)".</summary>
    public override string ToString() => $"Snake(channels={Channels})";
}
