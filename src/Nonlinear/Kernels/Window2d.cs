namespace Nonlinear.Kernels;

/// <summary>
/// The sliding window of a 2-D convolution or pooling over NCHW data: kernel size, stride, zero padding (added on
/// both sides) and dilation, per axis, with PyTorch's meaning. The output size along an axis is
/// ⌊(in + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1 (torch.nn.Conv2d's formula).
/// </summary>
/// <param name="KernelH">Kernel height (≥ 1).</param>
/// <param name="KernelW">Kernel width (≥ 1).</param>
/// <param name="StrideH">Vertical step (≥ 1).</param>
/// <param name="StrideW">Horizontal step (≥ 1).</param>
/// <param name="PadH">Zero rows added above and below (≥ 0).</param>
/// <param name="PadW">Zero columns added left and right (≥ 0).</param>
/// <param name="DilationH">Vertical spacing of kernel taps (≥ 1).</param>
/// <param name="DilationW">Horizontal spacing of kernel taps (≥ 1).</param>
public readonly record struct Window2d(int KernelH, int KernelW, int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0,
    int DilationH = 1, int DilationW = 1)
{
    /// <summary>A square window: kernel k×k, the same stride, padding and dilation on both axes.</summary>
    public static Window2d Square(int kernel, int stride = 1, int padding = 0, int dilation = 1) =>
        new(kernel, kernel, stride, stride, padding, padding, dilation, dilation);

    /// <summary>Taps per channel: KernelH·KernelW.</summary>
    public int Taps => KernelH * KernelW;

    /// <summary>Throws unless every field is in range; the message names the field and its value.</summary>
    /// <exception cref="ArgumentException">A kernel, stride or dilation below 1, or a negative padding.</exception>
    public void Validate()
    {
        if (KernelH < 1 || KernelW < 1) throw new ArgumentException($"window kernel must be ≥ 1 on both axes; got {KernelH}×{KernelW}.", "window");
        if (StrideH < 1 || StrideW < 1) throw new ArgumentException($"window stride must be ≥ 1 on both axes; got {StrideH}×{StrideW}.", "window");
        if (PadH < 0 || PadW < 0) throw new ArgumentException($"window padding must be ≥ 0 on both axes; got {PadH}×{PadW}.", "window");
        if (DilationH < 1 || DilationW < 1) throw new ArgumentException($"window dilation must be ≥ 1 on both axes; got {DilationH}×{DilationW}.", "window");
    }

    /// <summary>Output height and width for an input of <paramref name="height"/>×<paramref name="width"/>.</summary>
    /// <exception cref="ArgumentException">The dilated kernel does not fit in the padded input.</exception>
    public (int Height, int Width) OutputSize(int height, int width)
    {
        Validate();
        long spanH = (long)DilationH * (KernelH - 1) + 1, spanW = (long)DilationW * (KernelW - 1) + 1;
        long ph = height + 2L * PadH, pw = width + 2L * PadW;
        if (ph < spanH || pw < spanW)
            throw new ArgumentException($"window {this} needs a padded input of at least {spanH}×{spanW}; got {height}×{width} padded to {ph}×{pw}.", "window");
        return ((int)((ph - spanH) / StrideH + 1), (int)((pw - spanW) / StrideW + 1));
    }

    /// <summary>"kernel=3x3 stride=1x1 padding=1x1 dilation=1x1".</summary>
    public override string ToString() =>
        $"kernel={KernelH}x{KernelW} stride={StrideH}x{StrideW} padding={PadH}x{PadW} dilation={DilationH}x{DilationW}";
}
