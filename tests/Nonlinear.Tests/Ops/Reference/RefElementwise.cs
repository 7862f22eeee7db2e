namespace Nonlinear.Tests.OpsGrad.Reference;

/// <summary>Reference elementwise ops with NumPy broadcasting, in double.</summary>
public static class RefElementwise
{
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1) throw new InvalidOperationException("reference: shapes do not broadcast");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>Value of <paramref name="t"/> at output multi-index <paramref name="outIdx"/> under broadcasting.</summary>
    public static double At(RefTensor t, int[] outIdx)
    {
        int lead = outIdx.Length - t.Rank;
        var idx = new int[t.Rank];
        for (int d = 0; d < t.Rank; d++) idx[d] = t.S[d] == 1 ? 0 : outIdx[d + lead];
        return t[idx];
    }

    public static RefTensor Binary(RefTensor a, RefTensor b, Func<double, double, double> f)
    {
        var shape = BroadcastShape(a.S, b.S);
        var y = RefTensor.Zeros(shape);
        for (int i = 0; i < y.Length; i++)
        {
            var idx = RefTensor.Unravel(i, shape);
            y.D[i] = f(At(a, idx), At(b, idx));
        }
        return y;
    }

    public static RefTensor Add(RefTensor a, RefTensor b) => Binary(a, b, (x, y) => x + y);
    public static RefTensor Sub(RefTensor a, RefTensor b) => Binary(a, b, (x, y) => x - y);
    public static RefTensor Mul(RefTensor a, RefTensor b) => Binary(a, b, (x, y) => x * y);
    public static RefTensor Div(RefTensor a, RefTensor b) => Binary(a, b, (x, y) => x / y);

    public static RefTensor Expand(RefTensor a, int[] shape)
    {
        var y = RefTensor.Zeros(shape);
        for (int i = 0; i < y.Length; i++) y.D[i] = At(a, RefTensor.Unravel(i, shape));
        return y;
    }

    public static RefTensor Clamp(RefTensor x, double lo, double hi) => x.Map(v => Math.Min(Math.Max(v, lo), hi));
    public static RefTensor Pow(RefTensor x, double p) => x.Map(v => Math.Pow(v, p));
}
