namespace Nonlinear.Tests.OpsGrad.Reference;

/// <summary>Reference softmax family and losses, in double, from their textbook definitions.</summary>
public static class RefLosses
{
    private static RefTensor Rows(RefTensor x, Func<double[], double[]> f)
    {
        int n = x.S[^1], rows = n == 0 ? 0 : x.Length / n;
        var y = RefTensor.Zeros(x.S);
        for (int r = 0; r < rows; r++)
        {
            var outRow = f(x.D.AsSpan(r * n, n).ToArray());
            Array.Copy(outRow, 0, y.D, r * n, n);
        }
        return y;
    }

    public static double LogSumExp(double[] v)
    {
        double m = v.Max();
        return m + Math.Log(v.Sum(t => Math.Exp(t - m)));
    }

    public static RefTensor Softmax(RefTensor x) => Rows(x, v =>
    {
        double lse = LogSumExp(v);
        return v.Select(t => Math.Exp(t - lse)).ToArray();
    });

    public static RefTensor LogSoftmax(RefTensor x) => Rows(x, v =>
    {
        double lse = LogSumExp(v);
        return v.Select(t => t - lse).ToArray();
    });

    /// <summary>Mean over rows of −Σ_c q_c·log softmax(x)_c with q = (1−ε)·onehot + ε/C.</summary>
    public static RefTensor CrossEntropy(RefTensor logits, int[] targets, double eps)
    {
        int b = logits.S[0], c = logits.S[1];
        var logp = LogSoftmax(logits);
        double total = 0;
        for (int i = 0; i < b; i++)
            for (int k = 0; k < c; k++)
            {
                double q = (k == targets[i] ? 1 - eps : 0) + eps / c;
                total -= q * logp.D[i * c + k];
            }
        return new RefTensor([total / b], []);
    }

    public static RefTensor Nll(RefTensor logp, int[] targets)
    {
        int b = logp.S[0], c = logp.S[1];
        double total = 0;
        for (int i = 0; i < b; i++) total -= logp.D[i * c + targets[i]];
        return new RefTensor([total / b], []);
    }

    public static RefTensor Mse(RefTensor p, RefTensor t)
    {
        double total = 0;
        for (int i = 0; i < p.Length; i++) total += (p.D[i] - t.D[i]) * (p.D[i] - t.D[i]);
        return new RefTensor([total / p.Length], []);
    }
}
