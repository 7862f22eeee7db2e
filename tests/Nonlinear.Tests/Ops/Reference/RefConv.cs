namespace Nonlinear.Tests.OpsGrad.Reference;

/// <summary>
/// Convolution, im2col and pooling in double by their definitions (one multi-index loop per output element, no
/// im2col reuse): the specification the float ops are held to.
/// </summary>
public static class RefConv
{
    public static (int OH, int OW) Out(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) =>
        ((h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1);

    private static double At(RefTensor x, int n, int c, int y, int xx) =>
        y < 0 || y >= x.S[2] || xx < 0 || xx >= x.S[3] ? 0 : x[n, c, y, xx];

    /// <summary>[N,C,H,W] → [N, C·kh·kw, OH·OW].</summary>
    public static RefTensor Unfold(RefTensor x, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        int n = x.S[0], c = x.S[1];
        var (oh, ow) = Out(x.S[2], x.S[3], kh, kw, sh, sw, ph, pw, dh, dw);
        var y = RefTensor.Zeros(n, c * kh * kw, oh * ow);
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        for (int a = 0; a < oh; a++)
                            for (int b = 0; b < ow; b++)
                                y.D[RefTensor.Ravel([s, (ch * kh + i) * kw + j, a * ow + b], y.S)] =
                                    At(x, s, ch, a * sh - ph + i * dh, b * sw - pw + j * dw);
        return y;
    }

    /// <summary>[N, C·kh·kw, L] → [N,C,H,W], summing overlaps.</summary>
    public static RefTensor Fold(RefTensor cols, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        int n = cols.S[0], c = cols.S[1] / (kh * kw);
        var (oh, ow) = Out(h, w, kh, kw, sh, sw, ph, pw, dh, dw);
        var y = RefTensor.Zeros(n, c, h, w);
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        for (int a = 0; a < oh; a++)
                            for (int b = 0; b < ow; b++)
                            {
                                int yy = a * sh - ph + i * dh, xx = b * sw - pw + j * dw;
                                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                y.D[RefTensor.Ravel([s, ch, yy, xx], y.S)] += cols[s, (ch * kh + i) * kw + j, a * ow + b];
                            }
        return y;
    }

    /// <summary>torch.nn.functional.conv2d: x [N,C,H,W], weight [O,C,kh,kw], bias [O] or null.</summary>
    public static RefTensor Conv2d(RefTensor x, RefTensor wt, RefTensor? bias, int sh, int sw, int ph, int pw, int dh, int dw)
    {
        int n = x.S[0], c = x.S[1], o = wt.S[0], kh = wt.S[2], kw = wt.S[3];
        var (oh, ow) = Out(x.S[2], x.S[3], kh, kw, sh, sw, ph, pw, dh, dw);
        var y = RefTensor.Zeros(n, o, oh, ow);
        for (int s = 0; s < n; s++)
            for (int q = 0; q < o; q++)
                for (int a = 0; a < oh; a++)
                    for (int b = 0; b < ow; b++)
                    {
                        double sum = bias is null ? 0 : bias.D[q];
                        for (int ch = 0; ch < c; ch++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                    sum += wt[q, ch, i, j] * At(x, s, ch, a * sh - ph + i * dh, b * sw - pw + j * dw);
                        y.D[RefTensor.Ravel([s, q, a, b], y.S)] = sum;
                    }
        return y;
    }

    /// <summary>Max (padding is −∞, as PyTorch) or average (padding counts as 0 and in the divisor: count_include_pad=True) pooling.</summary>
    public static RefTensor Pool(RefTensor x, bool max, int kh, int kw, int sh, int sw, int ph, int pw, int dh = 1, int dw = 1)
    {
        int n = x.S[0], c = x.S[1], h = x.S[2], w = x.S[3];
        var (oh, ow) = Out(h, w, kh, kw, sh, sw, ph, pw, dh, dw);
        var y = RefTensor.Zeros(n, c, oh, ow);
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int a = 0; a < oh; a++)
                    for (int b = 0; b < ow; b++)
                    {
                        double acc = max ? double.NegativeInfinity : 0;
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++)
                            {
                                int yy = a * sh - ph + i * dh, xx = b * sw - pw + j * dw;
                                bool inside = yy >= 0 && yy < h && xx >= 0 && xx < w;
                                if (max) { if (inside) acc = Math.Max(acc, x[s, ch, yy, xx]); }
                                else if (inside) acc += x[s, ch, yy, xx];
                            }
                        y.D[RefTensor.Ravel([s, ch, a, b], y.S)] = max ? acc : acc / (kh * kw);
                    }
        return y;
    }
}
