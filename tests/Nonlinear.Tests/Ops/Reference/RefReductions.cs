namespace Nonlinear.Tests.OpsGrad.Reference;

/// <summary>Reference reductions and shape ops, in double, by multi-index loops.</summary>
public static class RefReductions
{
    private static int[] Reduced(int[] s, int d, bool keep)
    {
        var l = s.ToList();
        if (keep) l[d] = 1; else l.RemoveAt(d);
        return [.. l];
    }

    // Applies f to the values along dimension d for every output position.
    private static RefTensor Along(RefTensor x, int d, bool keep, Func<double[], double> f)
    {
        var outShape = Reduced(x.S, d, true);
        var y = RefTensor.Zeros(outShape);
        for (int i = 0; i < y.Length; i++)
        {
            var idx = RefTensor.Unravel(i, outShape);
            var vals = new double[x.S[d]];
            for (int j = 0; j < vals.Length; j++) { idx[d] = j; vals[j] = x[idx]; }
            y.D[i] = f(vals);
        }
        return new RefTensor(y.D, Reduced(x.S, d, keep));
    }

    public static RefTensor Sum(RefTensor x, int d, bool keep) => Along(x, d, keep, v => v.Sum());
    public static RefTensor Mean(RefTensor x, int d, bool keep) => Along(x, d, keep, v => v.Sum() / v.Length);
    public static RefTensor Max(RefTensor x, int d, bool keep) => Along(x, d, keep, v => v.Max());
    public static RefTensor SumAll(RefTensor x) => new([x.D.Sum()], []);
    public static RefTensor MeanAll(RefTensor x) => new([x.D.Sum() / x.Length], []);
    public static RefTensor MaxAll(RefTensor x) => new([x.D.Max()], []);

    public static RefTensor Slice(RefTensor x, int d, int start, int length)
    {
        var shape = (int[])x.S.Clone();
        shape[d] = length;
        var y = RefTensor.Zeros(shape);
        for (int i = 0; i < y.Length; i++)
        {
            var idx = RefTensor.Unravel(i, shape);
            idx[d] += start;
            y.D[i] = x[idx];
        }
        return y;
    }

    public static RefTensor Concat(RefTensor[] xs, int d)
    {
        var shape = (int[])xs[0].S.Clone();
        shape[d] = xs.Sum(t => t.S[d]);
        var y = RefTensor.Zeros(shape);
        for (int i = 0; i < y.Length; i++)
        {
            var idx = RefTensor.Unravel(i, shape);
            int t = 0;
            while (idx[d] >= xs[t].S[d]) { idx[d] -= xs[t].S[d]; t++; }
            y.D[i] = xs[t][idx];
        }
        return y;
    }

    public static RefTensor IndexSelect(RefTensor x, int d, int[] indices)
    {
        var shape = (int[])x.S.Clone();
        shape[d] = indices.Length;
        var y = RefTensor.Zeros(shape);
        for (int i = 0; i < y.Length; i++)
        {
            var idx = RefTensor.Unravel(i, shape);
            idx[d] = indices[idx[d]];
            y.D[i] = x[idx];
        }
        return y;
    }

    public static RefTensor Gather(RefTensor x, int d, int[] index, int[] indexShape)
    {
        var y = RefTensor.Zeros(indexShape);
        for (int i = 0; i < y.Length; i++)
        {
            var idx = RefTensor.Unravel(i, indexShape);
            idx[d] = index[i];
            y.D[i] = x[idx];
        }
        return y;
    }
}
