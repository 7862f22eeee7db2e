namespace Nonlinear.Tests.OpsGrad.Reference;

/// <summary>Reference matrix products and layout changes, in double, by definition.</summary>
public static class RefLinalg
{
    /// <summary>[m,k]·[k,n], [b,m,k]·[b,k,n] or [b,m,k]·[k,n].</summary>
    public static RefTensor MatMul(RefTensor a, RefTensor b)
    {
        if (a.Rank == 2) return Batch(a, b, 1, false);
        return Batch(a, b, a.S[0], b.Rank == 2);
    }

    private static RefTensor Batch(RefTensor a, RefTensor b, int batch, bool shared)
    {
        int m = a.S[^2], k = a.S[^1], n = b.S[^1];
        var y = RefTensor.Zeros(a.Rank == 2 ? [m, n] : [batch, m, n]);
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                        s += a.D[(t * m + i) * k + p] * b.D[((shared ? 0 : t) * k + p) * n + j];
                    y.D[(t * m + i) * n + j] = s;
                }
        return y;
    }

    /// <summary>x·Wᵀ + b.</summary>
    public static RefTensor Linear(RefTensor x, RefTensor w, RefTensor? bias)
    {
        int batch = x.S[0], inF = x.S[1], outF = w.S[0];
        var y = RefTensor.Zeros(batch, outF);
        for (int i = 0; i < batch; i++)
            for (int o = 0; o < outF; o++)
            {
                double s = bias is null ? 0 : bias.D[o];
                for (int p = 0; p < inF; p++) s += x.D[i * inF + p] * w.D[o * inF + p];
                y.D[i * outF + o] = s;
            }
        return y;
    }

    /// <summary>Swaps two dimensions (a permuted copy).</summary>
    public static RefTensor Transpose(RefTensor a, int d0, int d1)
    {
        var shape = (int[])a.S.Clone();
        (shape[d0], shape[d1]) = (shape[d1], shape[d0]);
        var y = RefTensor.Zeros(shape);
        for (int i = 0; i < y.Length; i++)
        {
            var idx = RefTensor.Unravel(i, shape);
            (idx[d0], idx[d1]) = (idx[d1], idx[d0]);
            y.D[i] = a[idx];
        }
        return y;
    }

    public static RefTensor Reshape(RefTensor a, params int[] shape) => new((double[])a.D.Clone(), shape);
}
