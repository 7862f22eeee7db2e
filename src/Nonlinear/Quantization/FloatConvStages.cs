using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>
/// The shape of one sample as [channels, height, width] (NCHW without N). A flat row of <see cref="Features"/> values
/// is that sample in C-order, which is what Flatten gives and what the int8 layers read and write.
/// </summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Features => Channels * Height * Width;
    public int Positions => Height * Width;
    public override string ToString() => $"[{Channels}, {Height}, {Width}]";
}

/// <summary>
/// A Conv2d taken out of a model for quantization: its weight as the GEMM matrix [out, in·kh·kw] (a
/// <see cref="FloatLinear"/>, so BatchNorm folding, equalization and bias correction treat it like a Linear) and the
/// geometry that turns rows of <see cref="InputShape"/> into rows of <see cref="OutputShape"/>.
/// </summary>
internal sealed class FloatConv
{
    public FloatConv(float[] weight, float[] bias, ImageShape input, int outChannels, Window2d window)
    {
        var (h, w) = window.OutputSize(input.Height, input.Width);
        Matrix = new FloatLinear(weight, bias, outChannels, input.Channels * window.Taps);
        (InputShape, OutputShape, Window) = (input, new ImageShape(outChannels, h, w), window);
    }

    /// <summary>Weight [out, in·kh·kw] and bias [out].</summary>
    public FloatLinear Matrix { get; }
    public ImageShape InputShape { get; }
    public ImageShape OutputShape { get; }
    public Window2d Window { get; }

    public Tensor Forward(Tensor x)
    {
        var c = InputShape;
        var w = Tensor.FromArray(Matrix.Weight, Matrix.Out, c.Channels, Window.KernelH, Window.KernelW);
        var y = Ops.Conv2d(Ops.Reshape(x, x.Size(0), c.Channels, c.Height, c.Width), w, Tensor.FromArray(Matrix.Bias, Matrix.Out), Window);
        return Ops.Reshape(y, x.Size(0), OutputShape.Features);
    }
}

/// <summary>A MaxPool2d on rows of <see cref="InputShape"/>.</summary>
internal sealed class FloatMaxPool
{
    public FloatMaxPool(ImageShape input, Window2d window)
    {
        var (h, w) = window.OutputSize(input.Height, input.Width);
        (InputShape, OutputShape, Window) = (input, new ImageShape(input.Channels, h, w), window);
    }

    public ImageShape InputShape { get; }
    public ImageShape OutputShape { get; }
    public Window2d Window { get; }

    public Tensor Forward(Tensor x)
    {
        var c = InputShape;
        var y = Ops.MaxPool2d(Ops.Reshape(x, x.Size(0), c.Channels, c.Height, c.Width), Window);
        return Ops.Reshape(y, x.Size(0), OutputShape.Features);
    }
}
