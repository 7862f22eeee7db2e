using Nonlinear.Autodiff;
using Nonlinear.Kernels;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// 2-D cross-correlation (torch.nn.functional.conv2d, groups = 1): x [N, C, H, W], weight [O, C, kh, kw], bias [O] or
    /// null → y [N, O, OH, OW], y[n,o] = b[o] + Σ_c,i,j w[o,c,i,j]·x_pad[n, c, oh·s + i·d, ow·s + j·d]. Per sample one im2col
    /// (<see cref="Im2Col.Unfold"/>) and one GEMM W[O, C·kh·kw]·cols[C·kh·kw, L]. Backward: ∂W += g_n·colsᵀ (cols recomputed,
    /// not kept: N·C·kh·kw·L floats would dwarf the activations), ∂b = Σ g, ∂x = col2im(Wᵀ·g_n).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes that do not chain (the message names both), or a window that does not fit.</exception>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, Window2d window)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank != 4) throw new ArgumentException($"Conv2d expects x [N, C, H, W]; got {Shapes.Format(x.Shape)}.", nameof(x));
        if (weight.Rank != 4 || weight.Size(1) != x.Size(1) || weight.Size(2) != window.KernelH || weight.Size(3) != window.KernelW)
            throw new ArgumentException($"Conv2d: weight {Shapes.Format(weight.Shape)} must be [O, {x.Size(1)}, {window.KernelH}, {window.KernelW}] for x {Shapes.Format(x.Shape)} and window {window}.", nameof(weight));
        int n = x.Size(0), c = x.Size(1), h = x.Size(2), w = x.Size(3), o = weight.Size(0);
        if (bias is not null && (bias.Rank != 1 || bias.Size(0) != o))
            throw new ArgumentException($"Conv2d: bias has shape {Shapes.Format(bias.Shape)}; expected [{o}].", nameof(bias));
        var (oh, ow) = window.OutputSize(h, w);
        int k = c * window.Taps, l = oh * ow, img = c * h * w;
        var xc = x.IsContiguous ? x : Copy(x.Detach());
        var wc = weight.IsContiguous ? weight : Copy(weight.Detach());
        var y = new Tensor(GC.AllocateUninitializedArray<float>(Shapes.Product([n, o, oh, ow])), [n, o, oh, ow]);
        var cols = GC.AllocateUninitializedArray<float>(k * l);
        var ys = y.Storage.AsSpan();
        var bs = bias?.Contiguous().ToArray();
        for (int s = 0; s < n; s++)
        {
            var ysn = ys.Slice(s * o * l, o * l);
            for (int q = 0; q < o; q++) ysn.Slice(q * l, l).Fill(bs is null ? 0f : bs[q]);
            if (l == 0) continue;
            Im2Col.Unfold(xc.Storage.AsSpan(xc.Offset + s * img, img), c, h, w, window, cols);
            Gemm.Sgemm(false, false, o, l, k, 1f, wc.Storage.AsSpan(wc.Offset, o * k), Math.Max(k, 1), cols, l, 1f, ysn, l);
        }
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        var win = window;
        return Autograd.Record(y, "conv2d", inputs, g =>
        {
            var gs = g.Contiguous();
            var gsp = gs.Storage.AsSpan(gs.Offset, gs.Length);
            var buf = GC.AllocateUninitializedArray<float>(k * l);
            Tensor? dx = null, dw = null, db = null;
            if (x.RequiresGrad)
            {
                dx = Tensor.Zeros(n, c, h, w);
                for (int s = 0; s < n && l > 0; s++)
                {
                    Gemm.Sgemm(true, false, k, l, o, 1f, wc.Storage.AsSpan(wc.Offset, o * k), Math.Max(k, 1), gsp.Slice(s * o * l, o * l), l, 0f, buf, l);
                    Im2Col.FoldAdd(buf, c, h, w, win, dx.Storage.AsSpan(s * img, img));
                }
            }
            if (weight.RequiresGrad)
            {
                // A kept gradient buffer receives the products directly (beta = 1), as Linear does.
                var target = Autograd.AccumulationTarget(weight);
                if (target is null) dw = Tensor.Zeros(o, c, win.KernelH, win.KernelW);
                var dws = (target ?? dw!).AsSpanUntracked();
                for (int s = 0; s < n && l > 0; s++)
                {
                    Im2Col.Unfold(xc.Storage.AsSpan(xc.Offset + s * img, img), c, h, w, win, buf);
                    Gemm.Sgemm(false, true, o, k, l, 1f, gsp.Slice(s * o * l, o * l), l, buf, l, 1f, dws, Math.Max(k, 1));
                }
            }
            if (bias is not null && bias.RequiresGrad)
            {
                db = Tensor.Zeros(o);
                var dbs = db.AsSpanUntracked();
                for (int s = 0; s < n; s++)
                    for (int q = 0; q < o; q++)
                    {
                        double sum = 0;
                        foreach (float v in gsp.Slice((s * o + q) * l, l)) sum += v;
                        dbs[q] += (float)sum;
                    }
            }
            return bias is null ? [dx, dw] : [dx, dw, db];
        }, saved: null, differentiable: g => ConvDifferentiableBackward(g, x, weight, bias, win));
    }

    // The conv2d gradients written with recorded ops (for createGraph): with cols = unfold(x) [N, K, L] and W [O, K],
    // ∂x = fold(Wᵀ·g_n), ∂W = Σ_n g_n·cols_nᵀ, ∂b = Σ g over samples and positions.
    private static Tensor?[] ConvDifferentiableBackward(Tensor g, Tensor x, Tensor weight, Tensor? bias, Window2d win)
    {
        int n = x.Size(0), h = x.Size(2), w = x.Size(3), o = weight.Size(0);
        int k = weight.Length / Math.Max(o, 1), l = g.Size(2) * g.Size(3);
        var g3 = Reshape(g, n, o, l);
        Tensor? dx = null, dw = null, db = null;
        if (x.RequiresGrad)
            dx = Fold(Permute(MatMul(Permute(g3, 0, 2, 1), Reshape(weight, o, k)), 0, 2, 1), h, w, win);
        if (weight.RequiresGrad)
        {
            var cols = Unfold(x, win);
            var gw = MatMul(Reshape(Permute(g3, 1, 0, 2), o, n * l), Reshape(Permute(cols, 0, 2, 1), n * l, k));
            dw = Reshape(gw, weight.Shape.ToArray());
        }
        if (bias is not null && bias.RequiresGrad) db = Sum(Sum(g3, 2), 0);
        return bias is null ? [dx, dw] : [dx, dw, db];
    }
}
