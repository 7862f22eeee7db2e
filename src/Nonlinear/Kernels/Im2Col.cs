using Nonlinear.Tensors;

namespace Nonlinear.Kernels;

/// <summary>
/// im2col and its adjoint col2im for one image of C channels (CHW, row-major). The column matrix has one row per
/// (channel, kernel row, kernel column) — index c·kh·kw + i·kw + j, as torch.nn.functional.unfold — and one column
/// per output position oh·OW + ow. Taps that fall into the zero padding read 0 (im2col) and are dropped (col2im).
/// Neither allocates.
/// </summary>
internal static class Im2Col
{
    /// <summary>cols[C·kh·kw, OH·OW] ← the windows of image [C, H, W].</summary>
    /// <exception cref="ArgumentException">A span's length does not match the geometry.</exception>
    public static void Unfold(ReadOnlySpan<float> image, int channels, int height, int width, in Window2d w, Span<float> cols)
    {
        var op = new UnfoldRow(image, cols);
        Walk(ref op, image.Length, cols.Length, channels, height, width, w);
    }

    /// <summary>image[C, H, W] += the columns folded back onto their windows (the adjoint of <see cref="Unfold"/>; overlapping taps add).</summary>
    /// <exception cref="ArgumentException">A span's length does not match the geometry.</exception>
    public static void FoldAdd(ReadOnlySpan<float> cols, int channels, int height, int width, in Window2d w, Span<float> image)
    {
        var op = new FoldRow(cols, image);
        Walk(ref op, image.Length, cols.Length, channels, height, width, w);
    }

    // One output row y of one column-matrix row: columns [0, ow) at `col`; input row at `img` (−1: the row is padding);
    // output columns [lo, hi) read input column x·stride + dx, the rest are padding (hi == lo: the whole row is; then
    // lo + dx may lie outside the image row, so it must not be used even for an empty slice).
    private interface IRowOp
    {
        void Row(int col, int img, int ow, int lo, int hi, int dx, int stride);
    }

    private readonly ref struct UnfoldRow(ReadOnlySpan<float> image, Span<float> cols) : IRowOp
    {
        private readonly ReadOnlySpan<float> _image = image;
        private readonly Span<float> _cols = cols;

        public void Row(int col, int img, int ow, int lo, int hi, int dx, int stride)
        {
            var dst = _cols.Slice(col, ow);
            if (img < 0 || hi == lo) { dst.Clear(); return; }
            dst[..lo].Clear();
            dst[hi..].Clear();
            if (stride == 1) _image.Slice(img + lo + dx, hi - lo).CopyTo(dst[lo..hi]);
            else for (int x = lo; x < hi; x++) dst[x] = _image[img + x * stride + dx];
        }
    }

    private readonly ref struct FoldRow(ReadOnlySpan<float> cols, Span<float> image) : IRowOp
    {
        private readonly ReadOnlySpan<float> _cols = cols;
        private readonly Span<float> _image = image;

        public void Row(int col, int img, int ow, int lo, int hi, int dx, int stride)
        {
            if (img < 0 || hi == lo) return;
            var src = _cols.Slice(col, ow);
            if (stride == 1) Reduce.AddInto(_image.Slice(img + lo + dx, hi - lo), src[lo..hi]);
            else for (int x = lo; x < hi; x++) _image[img + x * stride + dx] += src[x];
        }
    }

    // The one loop over (channel, tap, output row) that both directions share, so their index maps cannot drift apart.
    private static void Walk<T>(ref T op, int imageLength, int colsLength, int channels, int height, int width, in Window2d w)
        where T : IRowOp, allows ref struct
    {
        var (oh, ow) = w.OutputSize(height, width);
        Check(imageLength, channels, height, width, colsLength, w, oh, ow);
        int l = oh * ow;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < w.KernelH; i++)
                for (int j = 0; j < w.KernelW; j++)
                {
                    int row = ((c * w.KernelH + i) * w.KernelW + j) * l;
                    int dx = j * w.DilationW - w.PadW;
                    var (lo, hi) = ValidRange(dx, w.StrideW, width, ow);
                    for (int y = 0; y < oh; y++)
                    {
                        int iy = y * w.StrideH - w.PadH + i * w.DilationH;
                        op.Row(row + y * ow, (uint)iy < (uint)height ? (c * height + iy) * width : -1, ow, lo, hi, dx, w.StrideW);
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
