using Nonlinear.Activations;
using Nonlinear.Losses;
using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;

namespace Nonlinear.Tests.TensorApi;

/// <summary>Operators, method wrappers, From(arrays) and label tensors: values against double references, gradients by finite differences.</summary>
public sealed class TensorOperatorTests
{
    private static RefTensor Scalar(double v) => new([v], []);

    [Fact]
    public void OperatorsWithScalarsOnEitherSide() => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse("3,4|4"),
        Op = x => (2f - x[0]) * x[1] + x[0] / 4f - 3f / x[1] + (-x[0]) - 0.5f + 1.5f * x[1],
        Reference = x =>
        {
            var a = x[0]; var b = x[1];
            var t = RefElementwise.Mul(RefElementwise.Sub(Scalar(2), a), b);
            t = RefElementwise.Add(t, RefElementwise.Div(a, Scalar(4)));
            t = RefElementwise.Sub(t, RefElementwise.Div(Scalar(3), b));
            t = RefElementwise.Add(t, a.Map(v => -v));
            t = t.Map(v => v - 0.5);
            return RefElementwise.Add(t, b.Map(v => 1.5 * v));
        },
        // seven float ops in a chain, each within 1 ulp of its result; magnitude: the same sum on |terms|
        Magnitude = (abs, _) => RefElementwise.Add(RefElementwise.Add(RefElementwise.Mul(abs[0].Map(v => v + 2), abs[1]), abs[0]), RefElementwise.Add(abs[1].Map(v => 1.5 * v + 1), RefElementwise.Div(Scalar(3), abs[1]))),
        ForwardUlps = 8,
        Sample = GradCheck.AwayFromZero(0.5f, 2f),
    });

    [Fact]
    public void DivisionByAScalarIsDivisionNotMultiplication()
    {
        // 1/3 rounds, so x·(1/3) differs from x/3 in the last bit for some x; torch divides.
        var x = Tensor.FromArray(Enumerable.Range(1, 200).Select(i => (float)i).ToArray(), 200);
        var y = (x / 3f).ToArray();
        for (int i = 0; i < y.Length; i++) Assert.Equal((i + 1) / 3f, y[i]);
        var z = (3f / x).ToArray();
        for (int i = 0; i < z.Length; i++) Assert.Equal(3f / (i + 1), z[i]);
    }

    [Fact]
    public void MethodChainMatchesTheOps() => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse("3,4|4,2"),
        Op = x => x[0].MatMul(x[1]).T.Reshape(-1, 3).Exp().Sum(1),
        Reference = x => RefReductions.Sum(RefLinalg.Transpose(RefLinalg.MatMul(x[0], x[1]), 0, 1).Map(Math.Exp), 1, false),
        // matmul (4 terms) puts k=4 ulps of Σ|a||b| into z; exp turns that into a relative error, plus 1 ulp, then 2 additions.
        Magnitude = (abs, r) =>
        {
            var z = RefLinalg.Transpose(RefLinalg.MatMul(abs[0], abs[1]), 0, 1);
            return RefReductions.Sum(RefElementwise.Mul(z.Map(Math.Exp), z.Map(v => 1 + v)), 1, false);
        },
        ForwardUlps = 8,
    });

    [Fact]
    public void SoftmaxAlongAnyDimension() => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse("3,4"),
        Op = x => x[0].Softmax(0) * x[0],
        Reference = x =>
        {
            var e = x[0].Map(Math.Exp);
            var s = RefReductions.Sum(e, 0, true);
            return RefElementwise.Mul(RefElementwise.Div(e, s), x[0]);
        },
        ForwardUlps = 16,
        Magnitude = (abs, r) => r.Abs().Map(v => v + 1e-30),
    });

    [Fact]
    public void ActivationsByNameAndRelu()
    {
        var x = Tensor.From(-1f, 0.5f, 2f);
        Assert.Equal([0f, 0.5f, 2f], x.Relu().ToArray());
        Assert.Equal(ActivationCatalog.Parse("gelu").Apply(x).ToArray(), x.Apply("gelu").ToArray());
        Assert.Equal([0f, 0.5f, 2f], x.Apply(ActivationCatalog.Parse("relu")).ToArray());
    }

    [Fact]
    public void FromArraysKeepsRowMajorOrderAndChecksShapes()
    {
        var a = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal([2, 3], a.Shape.ToArray());
        Assert.Equal(6f, a[1, 2]);
        var b = Tensor.From(new float[,,] { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } } });
        Assert.Equal([2, 2, 2], b.Shape.ToArray());
        Assert.Equal(7f, b[1, 1, 0]);
        var c = Tensor.From(new float[][][] { [[1, 2], [3, 4]], [[5, 6], [7, 8]] });
        Assert.Equal(b.ToArray(), c.ToArray());
        Assert.Equal(b.Shape.ToArray(), c.Shape.ToArray());
        var source = new float[] { 1, 2 };
        var d = Tensor.From(source);
        source[0] = 9;
        Assert.Equal(1f, d[0]);   // copied, as torch.tensor copies
        Assert.Equal(0, Tensor.From(2.5f).Rank);
        var e = Assert.Throws<ArgumentException>(() => Tensor.From(new float[][] { [1, 2], [3] }));
        Assert.Contains("rows[1] has 1 elements; rows[0] has 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => Tensor.From(new float[][][] { [[1, 2]], [[1, 2], [3, 4]] }));
        Assert.Contains("blocks[1] has shape [2, 2]; blocks[0] has [1, 2]", e.Message);
    }

    [Fact]
    public void CrossEntropyTakesLabelTensors()
    {
        var logits = Tensor.From(new float[][] { [1f, 2f, 0.5f], [0.1f, -1f, 3f] });
        var byArray = Loss.CrossEntropy(logits, [1, 2]).Item();
        Assert.Equal(byArray, Loss.CrossEntropy(logits, Tensor.From(1f, 2f)).Item());
        Assert.Equal(Loss.Nll(logits, [0, 2]).Item(), Loss.Nll(logits, Tensor.From(0f, 2f)).Item());
        var e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, Tensor.From(1f, 1.5f)));
        Assert.Contains("labels[1] = 1.5 is not a class index", e.Message);
        e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, Tensor.From(1f, 3f)));
        Assert.Contains("targets[1] = 3 is outside [0, 3)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, Tensor.From(new float[,] { { 1f, 2f } })));
        Assert.Contains("labels must be a 1-D tensor", e.Message);
        Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, Tensor.From(-1f, 0f)));
        Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, Tensor.From(float.NaN, 0f)));
    }
}
