using Nonlinear.Losses;
using Nonlinear.Tensors;
using Nonlinear.Tests.OpsGrad.Reference;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>
/// Softmax, LogSoftmax and the losses against textbook double formulas. Inputs lie in [−3, 3], so |x − max| ≤ 6.
/// Softmax: the shift x−m costs u·|x−m| ≤ 6u relative inside exp, exp 2u, the n-term positive sum (n−1)u, the
/// reciprocal and product 2u: k = n + 9 relative to |r|. Log-softmax and cross-entropy are absolute-error bounds:
/// lse = m + ln s has error ≤ (n+7)u + 2u·ln n + u·|lse|; with |lse| ≤ max|x| + ln n, magnitude 1 + 3·max|x| + ln n + |r|
/// and k = n + 12 cover the final subtraction(s) too.
/// </summary>
public class SoftmaxLossGradTests
{
    private static readonly Func<Rng, float> Logits = GradCheck.Uniform(-3f, 3f);

    private static RefTensor LseMagnitude(RefTensor[] abs, RefTensor r)
    {
        double max = abs[0].Length == 0 ? 0 : abs[0].D.Max();
        double ln = Math.Log(Math.Max(abs[0].S[^1], 1));
        return r.Map(v => 1 + 3 * max + ln + Math.Abs(v));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3,7")]
    [InlineData("2,3,17")]
    [InlineData("1,1")]
    [InlineData("4,0")]
    [InlineData("0,4")]
    [InlineData("2,40")]
    public void Softmax(string spec) => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse(spec), Op = x => O.Softmax(x[0]), Reference = x => RefLosses.Softmax(x[0]),
        ForwardUlps = ShapeSpec.Parse(spec)[0][^1] + 9, Sample = Logits,
    });

    [Theory]
    [InlineData("5")]
    [InlineData("3,7")]
    [InlineData("2,3,17")]
    [InlineData("1,1")]
    [InlineData("4,0")]
    [InlineData("2,40")]
    public void LogSoftmax(string spec) => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse(spec), Op = x => O.LogSoftmax(x[0]), Reference = x => RefLosses.LogSoftmax(x[0]),
        ForwardUlps = ShapeSpec.Parse(spec)[0][^1] + 12, Magnitude = LseMagnitude, Sample = Logits,
    });

    // Composition as specification: softmax = exp(log_softmax), in value and gradient. Value bound, relative to |y|:
    // log-softmax's absolute error (n+12)·u·M becomes exp's relative error, exp adds 2u, the fused softmax is within
    // (n+9)u; with M = 1 + 3·max|x| + ln n ≥ 1 the sum is ≤ (2n + 23)·u·M.
    [Fact]
    public void SoftmaxEqualsExpOfLogSoftmax()
    {
        var x = Tensor.Randn(new Rng(4), [3, 9]).RequireGrad();
        var w = Tensor.Randn(new Rng(5), [3, 9]);
        var fused = O.Softmax(x);
        var composed = O.Exp(O.LogSoftmax(x));
        var f = fused.ToArray();
        var c = composed.ToArray();
        double maxAbs = x.ToArray().Max(v => Math.Abs(v));
        for (int i = 0; i < f.Length; i++)
            Assert.True(Math.Abs(f[i] - c[i]) <= (2 * 9 + 23) * GradCheck.U * (1 + 3 * maxAbs + Math.Log(9)) * Math.Abs(f[i]), $"[{i}] {f[i]} vs {c[i]}");
        O.Sum(O.Mul(fused, w)).Backward();
        var gFused = x.Grad!.ToArray();
        x.Grad = null;
        O.Sum(O.Mul(composed, w)).Backward();
        var gComposed = x.Grad!.ToArray();
        double scale = gFused.Max(v => Math.Abs(v));
        for (int i = 0; i < gFused.Length; i++)
            Assert.True(Math.Abs(gFused[i] - gComposed[i]) <= GradCheck.DefaultGradRel * (Math.Abs(gFused[i]) + scale), $"grad[{i}] {gFused[i]} vs {gComposed[i]}");
    }

    private static int[] Targets(int batch, int classes, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, batch).Select(_ => rng.NextInt(classes)).ToArray();
    }

    [Theory]
    [InlineData(4, 5, 0f)]
    [InlineData(4, 5, 0.1f)]
    [InlineData(1, 1, 0f)]
    [InlineData(7, 3, 1f)]
    [InlineData(33, 10, 0.1f)]
    public void CrossEntropy(int batch, int classes, float eps)
    {
        var t = Targets(batch, classes, 99);
        GradCheck.Run(new GradCase
        {
            Shapes = [[batch, classes]], Op = x => Loss.CrossEntropy(x[0], t, eps),
            Reference = x => RefLosses.CrossEntropy(x[0], t, eps),
            ForwardUlps = classes + 12, Magnitude = LseMagnitude, Sample = Logits,
        });
    }

    // Composition as specification: the fused loss equals NLL of LogSoftmax in value and gradient.
    [Fact]
    public void CrossEntropyEqualsNllOfLogSoftmax()
    {
        var t = Targets(6, 4, 5);
        GradCheck.Run(new GradCase
        {
            Shapes = [[6, 4]], Op = x => Loss.Nll(O.LogSoftmax(x[0]), t),
            Reference = x => RefLosses.CrossEntropy(x[0], t, 0),
            ForwardUlps = 4 + 12 + 6, Magnitude = LseMagnitude, Sample = Logits,
        });
    }

    [Theory]
    [InlineData(4, 5)]
    [InlineData(1, 1)]
    public void Nll(int batch, int classes)
    {
        var t = Targets(batch, classes, 3);
        GradCheck.Run(new GradCase
        {
            Shapes = [[batch, classes]], Op = x => Loss.Nll(x[0], t), Reference = x => RefLosses.Nll(x[0], t),
            // Exact gather, then a batch-term float sum and 1/B product: k = B + 1 relative to max|x|.
            Magnitude = (abs, r) => r.Map(_ => abs[0].D.Max()), ForwardUlps = batch + 1,
        });
    }

    [Theory]
    [InlineData("3,4|3,4")]
    [InlineData("|")]
    [InlineData("70|70")]
    public void Mse(string spec) => GradCheck.Run(new GradCase
    {
        Shapes = ShapeSpec.Parse(spec), Op = x => Loss.Mse(x[0], x[1]), Reference = x => RefLosses.Mse(x[0], x[1]),
        // d = fl(p − t) then d² summed in double and rounded once: (1+u)²(1+u) − 1 ≤ 3u + O(u²).
        ForwardUlps = 3.001,
    });

    [Fact]
    public void LossArgumentErrorsNameTheProblem()
    {
        var logits = Tensor.Zeros(3, 4);
        var e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, [0, 4, 1]));
        Assert.Contains("targets[1] = 4", e.Message);
        Assert.Contains("[0, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, [0, -1, 1]));
        Assert.Contains("targets[1] = -1", e.Message);
        e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, [0, 1]));
        Assert.Contains("expected 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => Loss.CrossEntropy(logits, [0, 1, 2], 1.5f));
        Assert.Contains("1.5", e.Message);
        e = Assert.Throws<ArgumentException>(() => Loss.Mse(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 2]", e.Message);
    }
}
