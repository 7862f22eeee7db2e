using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>Max pooling over NCHW input (torch.nn.MaxPool2d, ceil_mode = False); see <see cref="Ops.MaxPool2d"/>. No parameters.</summary>
/// <param name="window">Kernel, stride (PyTorch's default stride is the kernel size: pass it), padding, dilation.</param>
public sealed class MaxPool2d(Window2d window) : Module
{
    /// <summary>The pooling window.</summary>
    public Window2d Window { get; } = window;

    /// <summary>A k×k window with stride k (PyTorch's default) unless given.</summary>
    public MaxPool2d(int kernel, int? stride = null, int padding = 0) : this(Window2d.Square(kernel, stride ?? kernel, padding)) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Ops.MaxPool2d(x, Window);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kernel_size={PoolPair(Window.KernelH, Window.KernelW)}, stride={PoolPair(Window.StrideH, Window.StrideW)}, padding={PoolPair(Window.PadH, Window.PadW)}, dilation={PoolPair(Window.DilationH, Window.DilationW)}, ceil_mode=False";
}

/// <summary>Average pooling over NCHW input (torch.nn.AvgPool2d, count_include_pad = True); see <see cref="Ops.AvgPool2d"/>. No parameters.</summary>
/// <param name="window">Kernel, stride, padding (no dilation).</param>
public sealed class AvgPool2d(Window2d window) : Module
{
    /// <summary>The pooling window.</summary>
    public Window2d Window { get; } = window;

    /// <summary>A k×k window with stride k (PyTorch's default) unless given.</summary>
    public AvgPool2d(int kernel, int? stride = null, int padding = 0) : this(Window2d.Square(kernel, stride ?? kernel, padding)) { }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Ops.AvgPool2d(x, Window);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kernel_size={PoolPair(Window.KernelH, Window.KernelW)}, stride={PoolPair(Window.StrideH, Window.StrideW)}, padding={PoolPair(Window.PadH, Window.PadW)}";
}
