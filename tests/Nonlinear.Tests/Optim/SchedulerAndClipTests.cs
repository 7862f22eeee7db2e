using Nonlinear.Optim;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Optim;

/// <summary>
/// Learning-rate sequences and clip_grad_norm_ against torch 1.13. PyTorch's chainable schedulers update lr recursively
/// (lr·factor each step) while ours use the closed form, so the two differ by double rounding only: a relative bound
/// of 1e-13 (≈ 450 double ulps, far above 12 steps of recursion error, far below any real schedule difference).
/// </summary>
public class SchedulerAndClipTests
{
    private static Sgd NewOptimizer(double lr = 0.1) => new([Tensor.Zeros(1).RequireGrad()], lr);

    private static void AssertSequence(double[] expected, LrScheduler s)
    {
        Assert.Equal(expected[0], s.Optimizer.LearningRate, 1e-13 * expected[0]);
        for (int e = 1; e < expected.Length; e++)
        {
            s.Step();
            double got = s.Optimizer.LearningRate;
            Assert.True(Math.Abs(got - expected[e]) <= 1e-13 * Math.Abs(expected[e]), $"epoch {e}: expected {expected[e]:R}, got {got:R}");
        }
    }

    private static System.Text.Json.JsonElement Sched(string name) => TorchGolden.Root.GetProperty("schedulers").GetProperty(name);

    [Fact]
    public void StepLRMatchesTorch() => AssertSequence(Sched("step_lr").GetProperty("lrs").Doubles(), new StepLR(NewOptimizer(), 3, 0.5));

    [Fact]
    public void CosineAnnealingMatchesTorch() => AssertSequence(Sched("cosine").GetProperty("lrs").Doubles(), new CosineAnnealingLR(NewOptimizer(), 5, 0.001));

    [Fact]
    public void LinearWarmupMatchesTorchLinearLR() => AssertSequence(Sched("linear_warmup").GetProperty("lrs").Doubles(), new LinearWarmup(NewOptimizer(), 0.25, 4));

    [Fact]
    public void WarmupHandsOverToCosineShiftedByWarmupLength()
    {
        var opt = NewOptimizer();
        var warm = new LinearWarmup(opt, 0.25, 4, new CosineAnnealingLR(opt, 5, 0.001));
        double[] expected = [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.0905463412215599, 0.06579634122155989];
        AssertSequence(expected, warm);
    }

    [Fact]
    public void SchedulerStateRoundTripRestoresEpochAndRate()
    {
        var a = new CosineAnnealingLR(NewOptimizer(), 5, 0.001);
        for (int i = 0; i < 3; i++) a.Step();
        var b = new CosineAnnealingLR(NewOptimizer(), 5, 0.001);
        b.LoadStateDict(a.StateDict());
        Assert.Equal(3, b.Epoch);
        Assert.Equal(a.Optimizer.LearningRate, b.Optimizer.LearningRate);
        Assert.Throws<ArgumentException>(() => b.LoadStateDict(new Dictionary<string, double> { ["epoch"] = 1.5 }));
    }

    public static TheoryData<int> ClipCases() => new(Enumerable.Range(0, TorchGolden.Root.GetProperty("clip").GetArrayLength()));

    /// <summary>
    /// Our norm sums in double and rounds once; torch sums in float32. For ≤ 11 terms that is within 2 ulp of the
    /// total. The clipped gradients are g·coef with coef computed in float from that total, so ≤ 4 ulp.
    /// </summary>
    [Theory]
    [MemberData(nameof(ClipCases))]
    public void ClipGradNormMatchesTorch(int index)
    {
        var c = TorchGolden.Root.GetProperty("clip")[index];
        var shapes = TorchGolden.Root.GetProperty("shapes").EnumerateArray().Select(s => s.Ints()).ToArray();
        var ps = shapes.Select((s, i) => { var p = Tensor.Zeros(s).RequireGrad(); p.Grad = Tensor.FromArray(c.GetProperty("grads")[i].Floats(), s); return p; }).ToArray();
        var nt = c.GetProperty("norm_type");
        double normType = nt.ValueKind == System.Text.Json.JsonValueKind.String ? double.PositiveInfinity : nt.GetDouble();
        float total = GradClip.ClipGradNorm(ps, c.GetProperty("max_norm").GetDouble(), normType);
        float expected = (float)c.GetProperty("total").GetDouble();
        TorchGolden.AssertClose([expected], [total], 2, $"total norm (case {index})");
        for (int i = 0; i < ps.Length; i++)
            TorchGolden.AssertClose(c.GetProperty("clipped")[i].Floats(), ps[i].Grad!.ToArray(), 4, $"clipped grad {i} (case {index})");
    }

    [Fact]
    public void ClipLeavesSmallGradientsUntouchedAndSkipsMissing()
    {
        var p = Tensor.Zeros(2).RequireGrad();
        var q = Tensor.Zeros(2).RequireGrad();
        p.Grad = Tensor.FromArray([3f, 4f], 2);
        Assert.Equal(5f, GradClip.ClipGradNorm([p, q], 10));
        Assert.Equal(new[] { 3f, 4f }, p.Grad.ToArray());
        Assert.Equal(5f, GradClip.ClipGradNorm([p], 1));
        Assert.Equal(0.6f, p.Grad.ToArray()[0], 5);
        Assert.Throws<ArgumentException>(() => GradClip.ClipGradNorm([p], 1, 0.5));
    }
}
