using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Losses;
using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.HigherOrder;

/// <summary>
/// Second derivatives of every op with a differentiable backward, by <see cref="GradGradCheck"/> (the Jacobian of the
/// recorded gradient against central differences of the gradient, formed in double). Tolerances: see GradGradCheck.
/// </summary>
public class GradGradOpTests
{
    private static Tensor Rand(ulong seed, float lo, float hi, params int[] shape)
    {
        var rng = new Rng(seed);
        var v = new float[Shapes.Product(shape)];
        for (int i = 0; i < v.Length; i++) v[i] = lo + (hi - lo) * rng.NextFloat();
        return Tensor.FromArray(v, shape);
    }

    private static readonly Window2d Win = new(2, 2);

    // name → (function, inputs). Inputs stay away from kinks (abs, clamp, max) by more than the step.
    public static TheoryData<string> Names() => [.. Cases.Keys];

    private static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> Cases = new()
    {
        ["add"] = (x => O.Mul(O.Add(x[0], x[1]), O.Add(x[0], x[1])), () => [Rand(1, -1, 1, 2, 3), Rand(2, -1, 1, 3)]),
        ["sub"] = (x => O.Mul(O.Sub(x[0], x[1]), x[0]), () => [Rand(1, -1, 1, 2, 3), Rand(2, -1, 1, 1, 3)]),
        ["mul"] = (x => O.Mul(O.Mul(x[0], x[1]), x[1]), () => [Rand(1, -1, 1, 2, 3), Rand(2, -1, 1, 2, 1)]),
        ["div"] = (x => O.Div(x[0], x[1]), () => [Rand(1, -1, 1, 2, 3), Rand(2, 0.5f, 1.5f, 3)]),
        ["mul_scalar/add_scalar"] = (x => O.Mul(O.AddScalar(O.MulScalar(x[0], -1.5f), 0.25f), x[0]), () => [Rand(3, -1, 1, 4)]),
        ["exp"] = (x => O.Exp(x[0]), () => [Rand(4, -1, 1, 5)]),
        ["log"] = (x => O.Log(x[0]), () => [Rand(5, 0.5f, 2, 5)]),
        ["sqrt"] = (x => O.Sqrt(x[0]), () => [Rand(6, 0.5f, 2, 5)]),
        ["abs"] = (x => O.Mul(O.Abs(x[0]), x[0]), () => [Tensor.From(-0.8f, -0.3f, 0.4f, 0.9f)]),
        ["pow"] = (x => O.Pow(x[0], 3.5f), () => [Rand(7, 0.5f, 1.5f, 5)]),
        ["clamp"] = (x => O.Mul(O.Clamp(x[0], -0.5f, 0.5f), x[0]), () => [Tensor.From(-0.9f, -0.2f, 0.1f, 0.8f)]),
        ["sin"] = (x => O.Sin(x[0]), () => [Rand(8, -3, 3, 5)]),
        ["cos"] = (x => O.Cos(x[0]), () => [Rand(9, -3, 3, 5)]),
        ["atan"] = (x => O.Atan(x[0]), () => [Rand(10, -2, 2, 5)]),
        ["tanh"] = (x => O.Tanh(x[0]), () => [Rand(11, -2, 2, 5)]),
        ["erf"] = (x => O.Erf(x[0]), () => [Rand(12, -2, 2, 5)]),
        ["matmul"] = (x => O.Mul(O.MatMul(x[0], x[1]), O.MatMul(x[0], x[1])), () => [Rand(13, -1, 1, 2, 3), Rand(14, -1, 1, 3, 2)]),
        ["bmm"] = (x => O.Tanh(O.MatMul(x[0], x[1])), () => [Rand(15, -1, 1, 2, 2, 3), Rand(16, -1, 1, 2, 3, 2)]),
        ["linear"] = (x => O.Tanh(O.Linear(x[0], x[1], x[2])), () => [Rand(17, -1, 1, 3, 2), Rand(18, -1, 1, 2, 2), Rand(19, -1, 1, 2)]),
        ["sum/mean"] = (x => O.Mul(O.Sum(x[0], 1, keepDim: true), O.Mean(x[0], 0)), () => [Rand(20, -1, 1, 2, 3)]),
        ["sum_all/mean_all"] = (x => O.Mul(O.Sum(O.Mul(x[0], x[0])), O.Mean(x[0])), () => [Rand(21, -1, 1, 2, 3)]),
        ["reshape/transpose/permute"] = (x => O.Mul(O.Transpose(O.Reshape(x[0], 3, 2), 0, 1), O.Permute(x[0], 0, 1)), () => [Rand(22, -1, 1, 2, 3)]),
        ["expand"] = (x => O.Mul(O.Expand(x[0], 3, 2), O.Expand(x[0], 3, 2)), () => [Rand(23, -1, 1, 1, 2)]),
        ["slice/concat"] = (x => O.Mul(O.Slice(x[0], 1, 1, 2), O.Concat([O.Slice(x[0], 1, 0, 1), x[1]], 1)), () => [Rand(24, -1, 1, 2, 3), Rand(25, -1, 1, 2, 1)]),
        ["select"] = (x => O.Mul(O.Select(x[0], 0, 1), O.Select(x[0], 1, 2)), () => [Rand(26, -1, 1, 3, 3)]),
        ["softmax"] = (x => O.Softmax(x[0]), () => [Rand(27, -2, 2, 2, 4)]),
        ["log_softmax"] = (x => O.LogSoftmax(x[0]), () => [Rand(28, -2, 2, 2, 4)]),
        ["where"] = (x => O.Mul(O.Where(Tensor.From(1f, 0f, 1f), x[0], x[1]), x[0]), () => [Rand(29, -1, 1, 3), Rand(30, -1, 1, 3)]),
        ["max"] = (x => O.Mul(O.Max(x[0], 1), O.Max(x[0], 1)), () => [Tensor.From(new float[,] { { 0.1f, 0.9f, -0.4f }, { 0.6f, -0.2f, 0.3f } })]),
        ["conv2d"] = (x => O.Tanh(O.Conv2d(x[0], x[1], x[2], Win)), () => [Rand(31, -1, 1, 1, 1, 3, 3), Rand(32, -1, 1, 2, 1, 2, 2), Rand(33, -1, 1, 2)]),
        ["max_pool2d"] = (x => O.Mul(O.MaxPool2d(x[0], Win), O.MaxPool2d(x[0], Win)), () => [Tensor.FromArray([0.1f, 0.9f, -0.4f, 0.6f, -0.2f, 0.3f, 0.75f, -0.8f, 0.45f], 1, 1, 3, 3)]),
        ["unfold/fold"] = (x => O.Mul(O.Fold(O.Unfold(x[0], Win), 3, 3, Win), x[0]), () => [Rand(34, -1, 1, 1, 1, 3, 3)]),
        ["mse"] = (x => Loss.Mse(O.Mul(x[0], x[0]), x[1]), () => [Rand(35, -1, 1, 4), Rand(36, -1, 1, 4)]),
        ["activation tanh (catalog)"] = (x => ActivationCatalog.Get("tanh").Create().Apply(x[0]), () => [Rand(37, -2, 2, 5)]),
        ["activation silu (fused f″)"] = (x => ActivationCatalog.Get("softplus").Create().Apply(x[0]), () => [Rand(38, -3, 3, 5)]),
    };

    [Theory, MemberData(nameof(Names))]
    public void SecondDerivativesMatchFiniteDifferences(string name)
    {
        var (f, inputs) = Cases[name];
        var report = GradGradCheck.Run(f, inputs());
        Assert.True(report.Passed, $"{name}: {report.Worst} (ratio {report.WorstRatio:G3} over {report.Entries} entries)");
    }

    [Fact]
    public void TheCheckCatchesAWrongSecondDerivative()
    {
        // A custom op whose differentiable rule omits the second-order term: f = x², rule g·2x but with 2x detached.
        Tensor Wrong(Tensor[] x)
        {
            var y = O.Mul(x[0], x[0]);
            var input = x[0];
            var res = Tensor.FromArray(y.ToArray(), y.Shape.ToArray());
            return Autograd.Record(res, "wrong_square", [input], g => [O.Mul(g, O.MulScalar(input, 2f))], saved: [],
                differentiable: g => [O.Mul(g, O.MulScalar(input.Detach(), 2f))]);
        }
        var report = GradGradCheck.Run(Wrong, [Tensor.From(0.5f, -1f)]);
        Assert.False(report.Passed);
    }
}
