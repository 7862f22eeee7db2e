using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

public class DropoutTests
{
    [Fact]
    public void SameSeedGivesSameMasksAndScalingIsInverted()
    {
        var x = Tensor.Randn(new Rng(1), [1000]);
        var a = new Dropout(0.3f, seed: 42).Forward(x).ToArray();
        var b = new Dropout(0.3f, seed: 42).Forward(x).ToArray();
        var c = new Dropout(0.3f, seed: 43).Forward(x).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var xs = x.ToArray();
        for (int i = 0; i < xs.Length; i++)
            Assert.True(a[i] == 0f || a[i] == xs[i] * (1f / 0.7f), $"element {i}: {a[i]} is neither 0 nor x/(1−p) = {xs[i] / 0.7f}");
    }

    [Fact]
    public void KeptFractionIsOneMinusP()
    {
        // n = 200000 Bernoulli(0.7) draws: σ of the kept fraction is √(0.21/n) ≈ 0.001; 5σ bound.
        const int n = 200_000;
        var y = new Dropout(0.3f, seed: 7).Forward(Tensor.Ones(n)).ToArray();
        double kept = y.Count(v => v != 0f) / (double)n;
        Assert.InRange(kept, 0.7 - 5 * Math.Sqrt(0.21 / n), 0.7 + 5 * Math.Sqrt(0.21 / n));
        Assert.All(y, v => Assert.True(v == 0f || v == 1f / 0.7f));
    }

    [Fact]
    public void BackwardUsesTheForwardMask()
    {
        var x = Tensor.Randn(new Rng(2), [64]).RequireGrad();
        var d = new Dropout(0.5f, seed: 3);
        var y = d.Forward(x);
        y.Backward(Tensor.Ones(64));
        var ys = y.ToArray();
        var gs = x.Grad!.ToArray();
        for (int i = 0; i < 64; i++) Assert.Equal(ys[i] == 0f ? 0f : 2f, gs[i]);
        Assert.Contains(0f, gs);
        Assert.Contains(2f, gs);
    }

    [Fact]
    public void EvalAndZeroProbabilityAreIdentityAndOneGivesZeros()
    {
        var x = Tensor.Randn(new Rng(4), [16]);
        var d = new Dropout(0.9f);
        d.Eval();
        Assert.Same(x, d.Forward(x));
        Assert.Same(x, new Dropout(0f).Forward(x));
        Assert.All(new Dropout(1f).Forward(x).ToArray(), v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => new Dropout(1.5f));
    }
}
