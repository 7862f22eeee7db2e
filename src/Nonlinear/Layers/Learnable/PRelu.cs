using Nonlinear.Activations;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// f(x) = max(0, x) + a·min(0, x) with learnable a (one per layer or one per channel of dimension 1); ∂f/∂x = 1 for
/// x &gt; 0, a otherwise (a at 0); ∂f/∂a = min(0, x). Equivalent to torch.nn.PReLU(num_parameters, init=0.25): the
/// parameter is named "weight", shape [num_parameters]. He, Zhang, Ren and Sun, "Delving Deep into Rectifiers:
/// Surpassing Human-Level Performance on ImageNet Classification", 2015.
/// </summary>
public sealed class PRelu : LearnableActivation
{
    /// <summary>Registry declaration: "prelu(init=0.25, per_channel=false)"; torch.nn.PReLU's meaning of the name.</summary>
    public static LearnableUnit Unit { get; } = new("prelu", "max(0, x) + a·min(0, x) with learned slope a",
        [SpecParameter.Number("init", 0.25, "initial slope a (torch.nn.PReLU's init)"), LearnableUnit.PerChannel(false)],
        a => new PRelu(a.Channels, a.Float("init")))
    {
        Aliases = ["parametric_relu"], PyTorch = "torch.nn.PReLU(num_parameters, init=0.25)",
        Paper = "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification", Year = 2015,
    };

    /// <summary>The slopes a, shape [num_parameters].</summary>
    public Tensor Weight { get; }

    /// <summary>num_parameters slopes (1, or the channel count), each initialised to <paramref name="init"/>.</summary>
    public PRelu(int numParameters = 1, float init = 0.25f) : base(numParameters)
    {
        if (!float.IsFinite(init)) throw new InvalidInputException($"init must be finite; got {init}.", nameof(init));
        Weight = RegisterSlot("weight", 0, [init]);
    }

    /// <inheritdoc/>
    private protected override Tensor Composed(Tensor x, Func<Tensor, int, Tensor> parameter)
    {
        // relu(x) + a·(x − relu(x)): the slope a below 0, 1 above; at 0 the derivative is a, as in the kernel.
        var r = RecordedMath.Relu(x);
        return Ops.Add(r, Ops.Mul(parameter(Weight, 0), Ops.Sub(x, r)));
    }
    /// <inheritdoc/>
    private protected override ILearnableOp Op { get; } = new LearnableOp<PreluKernel>(default);
    /// <inheritdoc/>
    protected override string OpName => "prelu";
    /// <summary>"PRelu(num_parameters=…)".</summary>
    public override string ToString() => $"PRelu(num_parameters={Channels})";
}
