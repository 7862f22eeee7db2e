using Nonlinear.Tests.OpsGrad.Reference;

namespace Nonlinear.Tests.Layers.Transformer;

/// <summary>Double-precision references of the transformer ops, written from the formulas (not from our float code).</summary>
internal static class TransformerReference
{
    /// <summary>Attention on qkv [B, T, 3D] → [B, T, D]; fully masked rows give 0.</summary>
    public static RefTensor Attention(RefTensor qkv, int heads, bool causal, bool[]? pad)
    {
        int B = qkv.S[0], T = qkv.S[1], D = qkv.S[2] / 3, hd = D / heads;
        var y = RefTensor.Zeros(B, T, D);
        double scale = 1 / Math.Sqrt(hd);
        for (int b = 0; b < B; b++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < T; i++)
                {
                    var s = new double[T];
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < T; j++)
                    {
                        if ((causal && j > i) || (pad is not null && pad[b * T + j])) { s[j] = double.NegativeInfinity; continue; }
                        double dot = 0;
                        for (int c = 0; c < hd; c++) dot += qkv[b, i, h * hd + c] * qkv[b, j, D + h * hd + c];
                        s[j] = dot * scale;
                        max = Math.Max(max, s[j]);
                    }
                    if (double.IsNegativeInfinity(max)) continue;
                    double sum = 0;
                    for (int j = 0; j < T; j++) { s[j] = Math.Exp(s[j] - max); sum += s[j]; }
                    for (int c = 0; c < hd; c++)
                    {
                        double acc = 0;
                        for (int j = 0; j < T; j++) acc += s[j] / sum * qkv[b, j, 2 * D + h * hd + c];
                        y.D[(b * T + i) * D + h * hd + c] = acc;
                    }
                }
        return y;
    }

    /// <summary>RMSNorm over the last dimension.</summary>
    public static RefTensor RmsNorm(RefTensor x, RefTensor w, double eps)
    {
        int n = w.Length, rows = x.Length / n;
        var y = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double ss = 0;
            for (int i = 0; i < n; i++) ss += x.D[r * n + i] * x.D[r * n + i];
            double rs = 1 / Math.Sqrt(ss / n + eps);
            for (int i = 0; i < n; i++) y[r * n + i] = x.D[r * n + i] * rs * w.D[i];
        }
        return new RefTensor(y, x.S);
    }

    /// <summary>RoPE on the q and k thirds of qkv [B, T, 3D], interleaved pairs.</summary>
    public static RefTensor Rope(RefTensor qkv, int heads, double thetaBase = 10000)
    {
        int B = qkv.S[0], T = qkv.S[1], D = qkv.S[2] / 3, hd = D / heads;
        var y = (double[])qkv.D.Clone();
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                for (int c = 0; c < 2 * D; c += 2)
                {
                    int i = (c % hd) / 2, k = (b * T + t) * 3 * D + c;
                    double a = t * Math.Pow(thetaBase, -2.0 * i / hd);
                    double x0 = qkv.D[k], x1 = qkv.D[k + 1];
                    y[k] = x0 * Math.Cos(a) - x1 * Math.Sin(a);
                    y[k + 1] = x0 * Math.Sin(a) + x1 * Math.Cos(a);
                }
        return new RefTensor(y, qkv.S);
    }

    /// <summary>g(a)·b for u = [a | b] along the last dimension.</summary>
    public static RefTensor Gate(RefTensor u, Func<double, double> g)
    {
        int h = u.S[^1] / 2, rows = u.Length / (2 * h);
        var y = new double[rows * h];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < h; i++) y[r * h + i] = g(u.D[r * 2 * h + i]) * u.D[r * 2 * h + h + i];
        var shape = (int[])u.S.Clone();
        shape[^1] = h;
        return new RefTensor(y, shape);
    }

    /// <summary>Rows <paramref name="ids"/> of w [V, D].</summary>
    public static RefTensor Embedding(RefTensor w, int[] ids)
    {
        int d = w.S[1];
        var y = new double[ids.Length * d];
        for (int i = 0; i < ids.Length; i++) Array.Copy(w.D, ids[i] * d, y, i * d, d);
        return new RefTensor(y, [ids.Length, d]);
    }
}
