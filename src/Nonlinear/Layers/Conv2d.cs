using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// 2-D convolution over NCHW input (torch.nn.Conv2d with groups = 1, padding_mode = 'zeros'): weight [out, in, kh, kw],
/// bias [out]. Computed by <see cref="Ops.Conv2d"/> (im2col + GEMM). Initialisation is PyTorch's: W and b ~ U(±1/√(in·kh·kw))
/// (kaiming_uniform with a = √5).
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Weight [out, in, kh, kw].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [out], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Kernel, stride, padding, dilation.</summary>
    public Window2d Window { get; }

    /// <summary>Creates the layer and initialises weight then bias from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentException">A channel count below 1 or an invalid window.</exception>
    public Conv2d(int inChannels, int outChannels, Window2d window, Rng rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inChannels < 1) throw new ArgumentException($"inChannels must be ≥ 1; got {inChannels}.", nameof(inChannels));
        if (outChannels < 1) throw new ArgumentException($"outChannels must be ≥ 1; got {outChannels}.", nameof(outChannels));
        window.Validate();
        Window = window;
        Weight = RegisterParameter("weight", Init.KaimingUniform(Tensor.Zeros(outChannels, inChannels, window.KernelH, window.KernelW), rng, a: Math.Sqrt(5)));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inChannels * window.Taps);
            Bias = RegisterParameter("bias", Init.Uniform(Tensor.Zeros(outChannels), rng, -bound, bound));
        }
    }

    /// <summary>A square kernel with the same stride, padding and dilation on both axes.</summary>
    public Conv2d(int inChannels, int outChannels, int kernel, Rng rng, int stride = 1, int padding = 0, int dilation = 1, bool bias = true)
        : this(inChannels, outChannels, Window2d.Square(kernel, stride, padding, dilation), rng, bias) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Ops.Conv2d(x, Weight, Bias, Window);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        var w = Window;
        // torch.nn.Conv2d.extra_repr: padding, dilation and bias appear only when not the default.
        var s = $"{Weight.Size(1)}, {Weight.Size(0)}, kernel_size=({w.KernelH}, {w.KernelW}), stride=({w.StrideH}, {w.StrideW})";
        if (w.PadH != 0 || w.PadW != 0) s += $", padding=({w.PadH}, {w.PadW})";
        if (w.DilationH != 1 || w.DilationW != 1) s += $", dilation=({w.DilationH}, {w.DilationW})";
        return Bias is null ? s + ", bias=False" : s;
    }
}
