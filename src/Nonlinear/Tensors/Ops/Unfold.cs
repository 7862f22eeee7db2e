using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Sliding windows as columns (im2col; torch.nn.functional.unfold): x [N, C, H, W] → [N, C·kh·kw, L] with
    /// L = OH·OW (see <see cref="Window2d.OutputSize"/>). Row c·kh·kw + i·kw + j of sample n holds tap (i, j) of channel c
    /// at every output position, zero where the tap lies in the padding. A convolution is then one GEMM per sample:
    /// W[O, C·kh·kw] · cols. Backward is <see cref="Fold"/> (col2im: overlapping windows add their gradients).
    /// </summary>
    /// <exception cref="ArgumentException">x is not 4-D, the window is invalid, or it does not fit the padded input.</exception>
    public static Tensor Unfold(Tensor x, Window2d window)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"Unfold expects x [N, C, H, W]; got {Shapes.Format(x.Shape)}.", nameof(x));
        int n = x.Size(0), c = x.Size(1), h = x.Size(2), w = x.Size(3);
        var (oh, ow) = window.OutputSize(h, w);
        int rows = c * window.Taps, l = oh * ow, img = c * h * w;
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        var y = new Tensor(GC.AllocateUninitializedArray<float>(Shapes.Product([n, rows, l])), [n, rows, l]);
        var (src, off, dst) = (xc.Storage, xc.Offset, y.Storage);
        var win = window;
        Parallelism.For(n, s => Im2Col.Unfold(src.AsSpan(off + s * img, img), c, h, w, win, dst.AsSpan(s * rows * l, rows * l)));
        return Autograd.RecordComposed(y, "unfold", [x], g => [Fold(g, h, w, win)]);
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold"/> (col2im; torch.nn.functional.fold): cols [N, C·kh·kw, L] → [N, C, H, W],
    /// each column added back onto its window, overlaps summed, padding taps dropped. <paramref name="height"/> and
    /// <paramref name="width"/> are the unpadded image size. Backward is <see cref="Unfold"/>.
    /// </summary>
    /// <exception cref="ArgumentException">cols is not 3-D, or its sizes do not match the window on a height×width image.</exception>
    public static Tensor Fold(Tensor cols, int height, int width, Window2d window)
    {
        ArgumentNullException.ThrowIfNull(cols);
        if (cols.Rank != 3) throw new ArgumentException($"Fold expects cols [N, C·kh·kw, L]; got {Shapes.Format(cols.Shape)}.", nameof(cols));
        if (height < 1 || width < 1) throw new ArgumentException($"Fold output size must be ≥ 1×1; got {height}×{width}.", nameof(height));
        var (oh, ow) = window.OutputSize(height, width);
        int n = cols.Size(0), rows = cols.Size(1), l = oh * ow;
        if (rows % window.Taps != 0 || cols.Size(2) != l)
            throw new ArgumentException($"Fold: cols {Shapes.Format(cols.Shape)} does not match window {window} on {height}×{width}: expected [N, C·{window.Taps}, {l}].", nameof(cols));
        int c = rows / window.Taps, img = c * height * width;
        var cc = cols.IsContiguous ? cols : Copy(cols.Detach());
        var y = Tensor.Zeros(n, c, height, width);
        var (src, off, dst) = (cc.Storage, cc.Offset, y.Storage);
        var win = window;
        Parallelism.For(n, s => Im2Col.FoldAdd(src.AsSpan(off + s * rows * l, rows * l), c, height, width, win, dst.AsSpan(s * img, img)));
        return Autograd.RecordComposed(y, "fold", [cols], g => [Unfold(g, win)]);
    }
}
