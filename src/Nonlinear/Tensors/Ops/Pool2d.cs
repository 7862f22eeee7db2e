using Nonlinear.Kernels;
using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Max pooling (torch.nn.functional.max_pool2d, ceil_mode = False): x [N, C, H, W] → [N, C, OH, OW], the largest value of
    /// each window; padding taps are −∞ (never chosen), dilation spaces the taps. The first maximum in row-major window order
    /// wins ties and a NaN in a window wins (the last NaN, as PyTorch's CPU kernel). Backward routes each output gradient to its winning input.
    /// </summary>
    /// <exception cref="ArgumentException">x is not 4-D, the window does not fit, or padding exceeds half the kernel (PyTorch's rule).</exception>
    public static Tensor MaxPool2d(Tensor x, Window2d window)
    {
        var (n, c, h, w, oh, ow) = PoolShape(x, window, "MaxPool2d");
        var xs = (x.IsContiguous ? x : Copy(x.Detach())).AsSpanUntracked();
        var y = new Tensor(GC.AllocateUninitializedArray<float>(Shapes.Product([n, c, oh, ow])), [n, c, oh, ow]);
        var arg = new int[y.Length];
        var ys = y.AsSpanUntracked();
        for (int p = 0; p < n * c; p++)
        {
            var plane = xs.Slice(p * h * w, h * w);
            for (int a = 0; a < oh; a++)
                for (int b = 0; b < ow; b++)
                {
                    float best = float.NegativeInfinity;
                    int at = -1;
                    for (int i = 0; i < window.KernelH; i++)
                    {
                        int yy = a * window.StrideH - window.PadH + i * window.DilationH;
                        if ((uint)yy >= (uint)h) continue;
                        for (int j = 0; j < window.KernelW; j++)
                        {
                            int xx = b * window.StrideW - window.PadW + j * window.DilationW;
                            if ((uint)xx >= (uint)w) continue;
                            float v = plane[yy * w + xx];
                            if (at < 0 || v > best || float.IsNaN(v)) { best = v; at = yy * w + xx; }
                        }
                    }
                    int o = (p * oh + a) * ow + b;
                    ys[o] = best;
                    arg[o] = at;
                }
        }
        int outPlane = oh * ow, inPlane = h * w;
        return Autograd.Record(y, "max_pool2d", [x], g =>
        {
            var gs = g.Contiguous().AsSpanUntracked();
            var dx = Tensor.Zeros(n, c, h, w);
            var ds = dx.AsSpanUntracked();
            for (int p = 0; p < n * c; p++)
                for (int q = 0; q < outPlane; q++)
                    if (arg[p * outPlane + q] >= 0) ds[p * inPlane + arg[p * outPlane + q]] += gs[p * outPlane + q];
            return [dx];
        }, differentiable: g => [ArgScatter(g, [n, c, h, w], FlatArgs(arg, n * c, outPlane, inPlane))]);
    }

    /// <summary>
    /// Average pooling (torch.nn.functional.avg_pool2d with ceil_mode = False, count_include_pad = True): the mean of each
    /// kh×kw window, padding taps counted as zeros in the divisor kh·kw. Backward spreads g/(kh·kw) over each window.
    /// </summary>
    /// <exception cref="ArgumentException">x is not 4-D, the window does not fit, dilation ≠ 1, or padding exceeds half the kernel.</exception>
    public static Tensor AvgPool2d(Tensor x, Window2d window)
    {
        if (window.DilationH != 1 || window.DilationW != 1)
            throw new ArgumentException($"AvgPool2d has no dilation (as torch.nn.AvgPool2d); got {window}.", nameof(window));
        var (n, c, h, w, _, _) = PoolShape(x, window, "AvgPool2d");
        // The window sum is a convolution with a constant kernel: im2col once per plane, then a mean over each column.
        var cols = Unfold(Reshape(x, n * c, 1, h, w), window);                  // [N·C, kh·kw, L]
        var mean = Mean(cols, 1);                                              // [N·C, L]
        var (oh, ow) = window.OutputSize(h, w);
        return Reshape(mean, n, c, oh, ow);
    }

    private static (int N, int C, int H, int W, int OH, int OW) PoolShape(Tensor x, Window2d window, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4) throw new ArgumentException($"{op} expects x [N, C, H, W]; got {Shapes.Format(x.Shape)}.", nameof(x));
        if (2 * window.PadH > window.KernelH || 2 * window.PadW > window.KernelW)
            throw new ArgumentException($"{op}: padding must be at most half the kernel (PyTorch's rule); got {window}.", nameof(window));
        var (oh, ow) = window.OutputSize(x.Size(2), x.Size(3));
        return (x.Size(0), x.Size(1), x.Size(2), x.Size(3), oh, ow);
    }

    // The pooling's per-plane argmax positions as flat indices into [N, C, H, W] (−1 where a window saw only padding).
    private static int[] FlatArgs(int[] arg, int planes, int outPlane, int inPlane)
    {
        var flat = new int[arg.Length];
        for (int p = 0; p < planes; p++)
            for (int q = 0; q < outPlane; q++)
            {
                int a = arg[p * outPlane + q];
                flat[p * outPlane + q] = a < 0 ? -1 : p * inPlane + a;
            }
        return flat;
    }
}
