using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;

namespace Nonlinear.Tests.TensorApi;

/// <summary>Range indexing, Select, Permute, Stack and Where: exact values, shared storage, gradients by finite differences.</summary>
public sealed class TensorIndexingTests
{
    private static void Exact(string spec, Func<Tensor[], Tensor> op, Func<RefTensor[], RefTensor> reference) =>
        GradCheck.Run(new GradCase { Shapes = ShapeSpec.Parse(spec), Op = op, Reference = reference, ForwardUlps = 0 });

    private static Tensor Counting(params int[] shape) => Tensor.FromArray(Enumerable.Range(0, Shapes.Product(shape)).Select(i => (float)i).ToArray(), shape);

    [Fact]
    public void RangesAndIndicesPickTorchsElements()
    {
        var t = Counting(4, 3);   // torch.arange(12.).reshape(4, 3)
        Assert.Equal([3f, 4f, 5f, 6f, 7f, 8f], t[1..3].ToArray());
        Assert.Equal([2, 3], t[1..3].Shape.ToArray());
        Assert.Equal([0f, 3f, 6f, 9f], t[.., 0].ToArray());
        Assert.Equal([4], t[.., 0].Shape.ToArray());
        Assert.Equal([9f, 10f, 11f], t[^1].ToArray());
        Assert.Equal([1], t[^1, 1..2].Shape.ToArray());
        Assert.Equal(10f, t[^1, 1..2].Item());
        Assert.Equal([2f, 5f], t[..2, ^1].ToArray());
        Assert.Equal(7f, t[2, 1]);   // plain ints still read one element as a float
        Assert.Equal(7f, t[(Index)2, (Index)1].Item());
        Assert.Empty(t[3..3].ToArray());
    }

    [Fact]
    public void RangeIndexIsAViewWritesReachTheBase()
    {
        var t = Counting(3, 4);
        var col = t[.., 1];
        Assert.False(col.IsContiguous);
        Assert.Equal([1f, 5f, 9f], col.ToArray());
        int before = t.Version;
        var row = t[(Index)1];
        Assert.True(row.IsContiguous);
        row.AsSpan()[2] = -1f;
        Assert.Equal(-1f, t[1, 2]);
        Assert.Equal(before + 1, t.Version);   // the write through the view bumped the shared counter
    }

    [Fact]
    public void BadIndicesNameTheDimension()
    {
        var t = Counting(3, 4);
        var e = Assert.Throws<ArgumentException>(() => t[.., 4..5]);
        Assert.Contains("does not fit dimension 1 of shape [3, 4]", e.Message);
        e = Assert.Throws<ArgumentException>(() => t[^4]);
        Assert.Contains("outside dimension 0 of shape [3, 4] (size 3)", e.Message);
        e = Assert.Throws<ArgumentException>(() => t[.., .., ..]);
        Assert.Contains("3 components", e.Message);
    }

    [Fact]
    public void IndexingGradientsFlow() => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse("4,5"),
        Op = x => x[0][1..3, ^2] * x[0][^1, ..2],
        Reference = x => RefElementwise.Mul(
            RefIndexing.Map(x[0], [2], i => [1 + i[0], 3]),
            RefIndexing.Map(x[0], [2], i => [3, i[0]])),
        ForwardUlps = 1,   // the views are exact; the product rounds once
    });

    [Theory]
    [InlineData("3,4,2", 1, 2)]
    [InlineData("3,4,2", -1, 0)]
    [InlineData("5", 0, 4)]
    public void Select(string spec, int dim, int index) => Exact(spec,
        x => Ops.Select(x[0], dim, index),
        x => RefIndexing.Select(x[0], dim < 0 ? dim + x[0].Rank : dim, index));

    [Theory]
    [InlineData("2,3,4", new[] { 2, 0, 1 })]
    [InlineData("2,3,4", new[] { -1, 1, 0 })]
    [InlineData("3,5", new[] { 1, 0 })]
    public void Permute(string spec, int[] dims) => Exact(spec,
        x => x[0].Permute(dims).Contiguous() * 1f,
        x => RefIndexing.Permute(x[0], dims.Select(d => d < 0 ? d + x[0].Rank : d).ToArray()));

    [Fact]
    public void PermuteIsAViewAndRejectsRepeats()
    {
        var t = Counting(2, 3, 4);
        var p = t.Permute(2, 0, 1);
        Assert.Equal([4, 2, 3], p.Shape.ToArray());
        Assert.Equal(t[1, 2, 3], p[3, 1, 2]);
        Assert.Contains("repeats dimension 0", Assert.Throws<ArgumentException>(() => t.Permute(0, 0, 1)).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Stack(int dim) => Exact("2,3|2,3",
        x => Tensor.Stack([x[0], x[1]], dim),
        x =>
        {
            int d = dim < 0 ? dim + 3 : dim;
            var shape = new List<int> { 2, 3 };
            shape.Insert(d, 2);
            var y = RefTensor.Zeros([.. shape]);
            for (int f = 0; f < y.Length; f++)
            {
                var i = RefTensor.Unravel(f, y.S);
                y.D[f] = x[i[d]][[.. i[..d], .. i[(d + 1)..]]];
            }
            return y;
        });

    [Fact]
    public void StackValuesMatchTorch()
    {
        // torch.stack([a, b], 1) with a = arange(6).reshape(2,3), b = a + 10
        var a = Counting(2, 3);
        var b = a + 10f;
        var s = Tensor.Stack([a, b], 1);
        Assert.Equal([2, 2, 3], s.Shape.ToArray());
        Assert.Equal([0f, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15], s.ToArray());
        Assert.Contains("tensors[1] has shape [3]", Assert.Throws<ArgumentException>(() => Tensor.Stack([Counting(2), Counting(3)])).Message);
    }

    [Fact]
    public void WhereBroadcastsAndRoutesGradients()
    {
        var cond = Tensor.FromArray([1f, 0f, float.NaN], 3);   // NaN counts as true, as bool(nan) in torch
        GradCheck.Run(new GradCase
        {
            Shapes = ShapeSpec.Parse("2,3|2,1"),
            Op = x => Tensor.Where(cond, x[0], x[1]),
            Reference = x => RefIndexing.Where(RefTensor.From(cond), x[0], x[1]),
            ForwardUlps = 0,
        });
    }

    [Fact]
    public void ArgMaxFollowsTorchTiesAndNaN()
    {
        var x = Tensor.From(new float[][] { [1f, 3f, 3f], [float.NaN, 2f, 9f], [-1f, -1f, -2f] });
        Assert.Equal([1f, 0f, 0f], x.ArgMax(1).ToArray());
        Assert.Equal([1f, 0f, 1f], x.ArgMax(0).ToArray());
        Assert.Equal([3, 1], x.ArgMax(1, keepDim: true).Shape.ToArray());
        Assert.False(x.RequireGrad().ArgMax(0).RequiresGrad);
    }

    [Fact]
    public void CloneCopiesAndKeepsTheGradientPath()
    {
        var x = Counting(2, 2).RequireGrad();
        var c = x.Clone();
        c.AsSpan()[0] = 100f;
        Assert.Equal(0f, x[0, 0]);
        (x.Clone() * 3f).Sum().Backward();
        Assert.Equal([3f, 3f, 3f, 3f], x.Grad!.ToArray());
    }
}
