using Nonlinear.Kernels;

namespace Nonlinear.Quantization;

/// <summary>
/// Max pooling on codes (torch.nn.MaxPool2d, ceil_mode = False): the largest code in each window, positions in the
/// padding skipped (PyTorch pads with −∞). Exact: quantization is a non-decreasing map, so the code of the float
/// maximum is the maximum of the codes, and the output keeps the input's quantization. Rows are samples [C, H, W].
/// </summary>
public sealed class QuantizedMaxPool2d : QuantizedLayer
{
    /// <summary>Pooling over rows of [<paramref name="channels"/>, <paramref name="height"/>, <paramref name="width"/>] codes.</summary>
    /// <exception cref="ArgumentException">A non-positive shape, or a window that does not fit.</exception>
    public QuantizedMaxPool2d(int channels, int height, int width, Window2d window, ActivationQuantization quantization)
        : base(Positive(channels, height, width), channels * Out(height, width, window), quantization)
    {
        if (window.PadH * 2 > window.KernelH || window.PadW * 2 > window.KernelW)
            throw new ArgumentException($"max pooling padding must be at most half the kernel (PyTorch's rule, so no window is all padding); got {window}.", nameof(window));
        (Channels, Height, Width, Window) = (channels, height, width, window);
        (OutHeight, OutWidth) = window.OutputSize(height, width);
    }

    private static int Positive(int c, int h, int w) =>
        c >= 1 && h >= 1 && w >= 1 && (long)c * h * w <= int.MaxValue ? c * h * w
        : throw new ArgumentException($"input shape must be positive; got [{c}, {h}, {w}].");

    private static int Out(int h, int w, Window2d window)
    {
        var (oh, ow) = window.OutputSize(h, w);
        return oh * ow;
    }

    /// <summary>Channels.</summary>
    public int Channels { get; }
    /// <summary>Input height.</summary>
    public int Height { get; }
    /// <summary>Input width.</summary>
    public int Width { get; }
    /// <summary>Output height.</summary>
    public int OutHeight { get; }
    /// <summary>Output width.</summary>
    public int OutWidth { get; }
    /// <summary>Kernel, stride, padding, dilation.</summary>
    public Window2d Window { get; }
    /// <inheritdoc/>
    public override ActivationQuantization? Output => Input;

    internal override void Run(ReadOnlySpan<byte> x, int rows, Span<byte> y, SimdTier tier)
    {
        var w = Window;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < Channels; c++)
            {
                var src = x.Slice(r * InFeatures + c * Height * Width, Height * Width);
                var dst = y.Slice(r * OutFeatures + c * OutHeight * OutWidth, OutHeight * OutWidth);
                for (int oy = 0; oy < OutHeight; oy++)
                    for (int ox = 0; ox < OutWidth; ox++)
                    {
                        int best = 0;
                        for (int ky = 0; ky < w.KernelH; ky++)
                        {
                            int iy = oy * w.StrideH - w.PadH + ky * w.DilationH;
                            if (iy < 0 || iy >= Height) continue;
                            for (int kx = 0; kx < w.KernelW; kx++)
                            {
                                int ix = ox * w.StrideW - w.PadW + kx * w.DilationW;
                                if (ix >= 0 && ix < Width) best = Math.Max(best, src[iy * Width + ix]);
                            }
                        }
                        dst[oy * OutWidth + ox] = (byte)best;
                    }
            }
    }

    /// <summary>"QuantizedMaxPool2d(window, [C, H, W])".</summary>
    public override string ToString() => $"QuantizedMaxPool2d({Window}, input [{Channels}, {Height}, {Width}], on codes)";
}
