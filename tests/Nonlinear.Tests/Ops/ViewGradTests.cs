using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>Layout ops move values without arithmetic: forward must be exact (k = 0); gradients by finite differences.</summary>
public class ViewGradTests
{
    private static void Exact(string spec, Func<Tensor[], Tensor> op, Func<RefTensor[], RefTensor> reference) =>
        GradCheck.Run(new GradCase { Shapes = ShapeSpec.Parse(spec), Op = op, Reference = reference, ForwardUlps = 0 });

    [Theory]
    [InlineData("4,5", 0, 1, 2)]
    [InlineData("4,5", 1, 2, 3)]
    [InlineData("4,5", -1, 0, 5)]
    [InlineData("4,5", 1, 5, 0)]
    [InlineData("2,3,4", 1, 1, 1)]
    [InlineData("6", 0, 0, 6)]
    public void Slice(string spec, int dim, int start, int length) => Exact(spec,
        x => O.Slice(x[0], dim, start, length), x => RefReductions.Slice(x[0], dim < 0 ? dim + x[0].Rank : dim, start, length));

    // Slicing a transposed view, then an elementwise op: non-contiguous inputs everywhere.
    [Fact]
    public void SliceOfTransposedViewFeedsArithmetic() => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse("4,5"),
        Op = x =>
        {
            var t = O.Transpose(x[0], 0, 1);
            return O.Mul(O.Slice(t, 0, 1, 3), O.Slice(t, 0, 2, 3));
        },
        Reference = x =>
        {
            var t = RefLinalg.Transpose(x[0], 0, 1);
            return RefElementwise.Mul(RefReductions.Slice(t, 0, 1, 3), RefReductions.Slice(t, 0, 2, 3));
        },
        ForwardUlps = 1,
    });

    [Theory]
    [InlineData("2,3|2,4|2,1", 1)]
    [InlineData("2,3|1,3", 0)]
    [InlineData("2,3|0,3|4,3", 0)]
    [InlineData("5", -1)]
    [InlineData("2,2,2|2,3,2", 1)]
    public void Concat(string spec, int dim)
        => Exact(spec, x => O.Concat(x, dim), x => RefReductions.Concat(x, dim < 0 ? dim + x[0].Rank : dim));

    [Theory]
    [InlineData("4,3", 0, new[] { 2, 0, 2, 3 })]
    [InlineData("4,3", 1, new[] { 1 })]
    [InlineData("2,5,3", 1, new[] { 4, 4, 0 })]
    [InlineData("3", 0, new int[0])]
    public void IndexSelect(string spec, int dim, int[] indices) => Exact(spec,
        x => O.IndexSelect(x[0], dim, indices), x => RefReductions.IndexSelect(x[0], dim, indices));

    [Theory]
    [InlineData("3,4", 1, new[] { 2, 0, 3 }, new[] { 3, 1 })]
    [InlineData("3,4", 1, new[] { 1, 1, 0, 0, 3, 2 }, new[] { 3, 2 })]
    [InlineData("3,4", 0, new[] { 2, 0, 1, 1 }, new[] { 1, 4 })]
    [InlineData("2,3,2", 2, new[] { 1, 0, 0, 1 }, new[] { 2, 2, 1 })]
    public void Gather(string spec, int dim, int[] index, int[] indexShape) => Exact(spec,
        x => O.Gather(x[0], dim, index, indexShape), x => RefReductions.Gather(x[0], dim, index, indexShape));

    [Fact]
    public void ReshapeFamily()
    {
        Exact("2,3,4", x => O.Flatten(x[0]), x => RefLinalg.Reshape(x[0], 2, 12));
        Exact("2,3,4", x => O.Flatten(x[0], 0), x => RefLinalg.Reshape(x[0], 24));
        Exact("2,3", x => O.Unsqueeze(x[0], 1), x => RefLinalg.Reshape(x[0], 2, 1, 3));
        Exact("2,3", x => O.Unsqueeze(x[0], -1), x => RefLinalg.Reshape(x[0], 2, 3, 1));
        Exact("2,1,3", x => O.Squeeze(x[0], 1), x => RefLinalg.Reshape(x[0], 2, 3));
        Exact("2,3,4", x => O.Reshape(x[0], 4, -1), x => RefLinalg.Reshape(x[0], 4, 6));
        // Reshape of a transposed (non-contiguous) view copies in the transposed order.
        Exact("2,3", x => O.Reshape(O.Transpose(x[0], 0, 1), 6), x => RefLinalg.Reshape(RefLinalg.Transpose(x[0], 0, 1), 6));
        Exact("2,3,4", x => O.Transpose(x[0], 0, 2), x => RefLinalg.Transpose(x[0], 0, 2));
        Exact("2,3", x => O.Copy(O.Transpose(x[0], 0, 1)), x => RefLinalg.Transpose(x[0], 0, 1));
    }

    [Theory]
    [InlineData("3|2,3")]
    [InlineData("2,1|2,4")]
    [InlineData("|2,2")]
    [InlineData("1,3|0,3")]
    public void Expand(string spec)
    {
        var shapes = ShapeSpec.Parse(spec);
        Exact(shapes[0].Length == 0 ? "" : string.Join(",", shapes[0]),
            x => O.Expand(x[0], shapes[1]), x => RefElementwise.Expand(x[0], shapes[1]));
    }
}
