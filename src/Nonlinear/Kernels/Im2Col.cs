using Nonlinear.Tensors;

namespace Nonlinear.Kernels;

/// <summary>
/// im2col and its adjoint col2im for one image of C channels (CHW, row-major). The column matrix has one row per
/// (channel, kernel row, kernel column) — index c·kh·kw + i·kw + j, as torch.nn.functional.unfold — and one column
/// per output position oh·OW + ow. Taps that fall into the zero padding read 0 (im2col) and are dropped (col2im).
/// Neither allocates.
/// </summary>
public static class Im2Col
{
    /// <summary>cols[C·kh·kw, OH·OW] ← the windows of image [C, H, W].</summary>
    /// <exception cref="ArgumentException">A span's length does not match the geometry.</exception>
    public static void Unfold(ReadOnlySpan<float> image, int channels, int height, int width, in Window2d w, Span<float> cols)
    {
        var (oh, ow) = w.OutputSize(height, width);
        Check(image.Length, channels, height, width, cols.Length, w, oh, ow);
        int l = oh * ow;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * height * width, height * width);
            for (int i = 0; i < w.KernelH; i++)
                for (int j = 0; j < w.KernelW; j++)
                {
                    var row = cols.Slice(((c * w.KernelH + i) * w.KernelW + j) * l, l);
                    int dx = j * w.DilationW - w.PadW;
                    var (lo, hi) = ValidRange(dx, w.StrideW, width, ow);
                    for (int y = 0; y < oh; y++)
                    {
                        var dst = row.Slice(y * ow, ow);
                        int iy = y * w.StrideH - w.PadH + i * w.DilationH;
                        if ((uint)iy >= (uint)height) { dst.Clear(); continue; }
                        var src = plane.Slice(iy * width, width);
                        dst[..lo].Clear();
                        dst[hi..].Clear();
                        if (w.StrideW == 1) src.Slice(lo + dx, hi - lo).CopyTo(dst[lo..hi]);
                        else for (int x = lo; x < hi; x++) dst[x] = src[x * w.StrideW + dx];
                    }
                }
        }
    }

    /// <summary>image[C, H, W] += the columns folded back onto their windows (the adjoint of <see cref="Unfold"/>; overlapping taps add).</summary>
    /// <exception cref="ArgumentException">A span's length does not match the geometry.</exception>
    public static void FoldAdd(ReadOnlySpan<float> cols, int channels, int height, int width, in Window2d w, Span<float> image)
    {
        var (oh, ow) = w.OutputSize(height, width);
        Check(image.Length, channels, height, width, cols.Length, w, oh, ow);
        int l = oh * ow;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * height * width, height * width);
            for (int i = 0; i < w.KernelH; i++)
                for (int j = 0; j < w.KernelW; j++)
                {
                    var row = cols.Slice(((c * w.KernelH + i) * w.KernelW + j) * l, l);
                    int dx = j * w.DilationW - w.PadW;
                    var (lo, hi) = ValidRange(dx, w.StrideW, width, ow);
                    for (int y = 0; y < oh; y++)
                    {
                        int iy = y * w.StrideH - w.PadH + i * w.DilationH;
                        if ((uint)iy >= (uint)height) continue;
                        var src = row.Slice(y * ow, ow);
                        var dst = plane.Slice(iy * width, width);
                        if (w.StrideW == 1) Reduce.AddInto(dst.Slice(lo + dx, hi - lo), src[lo..hi]);
                        else for (int x = lo; x < hi; x++) dst[x * w.StrideW + dx] += src[x];
                    }
                }
        }
    }

    // Output columns x in [lo, hi) read input column x·stride + dx inside [0, width).
    private static (int Lo, int Hi) ValidRange(int dx, int stride, int width, int ow)
    {
        int lo = dx >= 0 ? 0 : (-dx + stride - 1) / stride;
        int hi = width - dx <= 0 ? 0 : (width - dx - 1) / stride + 1;
        lo = Math.Min(lo, ow);
        hi = Math.Clamp(hi, lo, ow);
        return (lo, hi);
    }

    private static void Check(int imageLength, int channels, int height, int width, int colsLength, in Window2d w, int oh, int ow)
    {
        long img = (long)channels * height * width, col = (long)channels * w.Taps * oh * ow;
        if (imageLength != img)
            throw new ArgumentException($"image has {imageLength} elements; {channels}×{height}×{width} needs {img}.", "image");
        if (colsLength != col)
            throw new ArgumentException($"cols has {colsLength} elements; {channels}·{w.Taps} rows × {oh}·{ow} columns need {col}.", "cols");
    }
}
