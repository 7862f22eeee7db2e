using Nonlinear.Tests.OpsGrad.Reference;

namespace Nonlinear.Tests.TensorApi;

/// <summary>Double references for the layout ops of the tensor API: each output element names its input element.</summary>
public static class RefIndexing
{
    /// <summary>y[i] = x[map(i)] for every multi-index i of <paramref name="shape"/>.</summary>
    public static RefTensor Map(RefTensor x, int[] shape, Func<int[], int[]> map)
    {
        var y = RefTensor.Zeros(shape);
        for (int f = 0; f < y.Length; f++) y.D[f] = x[map(RefTensor.Unravel(f, shape))];
        return y;
    }

    /// <summary>torch.permute.</summary>
    public static RefTensor Permute(RefTensor x, int[] dims) =>
        Map(x, dims.Select(d => x.S[d]).ToArray(), i =>
        {
            var src = new int[x.Rank];
            for (int k = 0; k < dims.Length; k++) src[dims[k]] = i[k];
            return src;
        });

    /// <summary>torch.select(x, dim, index).</summary>
    public static RefTensor Select(RefTensor x, int dim, int index) =>
        Map(x, x.S.Where((_, d) => d != dim).ToArray(), i => [.. i[..dim], index, .. i[dim..]]);

    /// <summary>torch.where(c ≠ 0, a, b) with broadcasting.</summary>
    public static RefTensor Where(RefTensor c, RefTensor a, RefTensor b)
    {
        var shape = RefElementwise.BroadcastShape(RefElementwise.BroadcastShape(c.S, a.S), b.S);
        var y = RefTensor.Zeros(shape);
        for (int f = 0; f < y.Length; f++)
        {
            var i = RefTensor.Unravel(f, shape);
            y.D[f] = RefElementwise.At(c, i) != 0 ? RefElementwise.At(a, i) : RefElementwise.At(b, i);
        }
        return y;
    }
}
