using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.OpsGrad;

public class DropoutTests
{
    [Fact]
    public void TrainingZeroesAboutPAndScalesTheRest()
    {
        const float p = 0.3f;
        var x = Tensor.Full(2f, 10000).RequireGrad();
        var y = O.Dropout(x, p, training: true, new Rng(1));
        var yv = y.ToArray();
        int zeros = yv.Count(v => v == 0f);
        // Binomial(10000, 0.3): sd ≈ 45.8; ±5 sd.
        Assert.InRange(zeros, 3000 - 230, 3000 + 230);
        Assert.All(yv, v => Assert.True(v == 0f || v == 2f / (1f - p)));
        var w = new float[yv.Length];
        for (int i = 0; i < w.Length; i++) w[i] = i % 7 - 3;
        y.Backward(Tensor.FromArray(w, yv.Length));
        var g = x.Grad!.ToArray();
        for (int i = 0; i < g.Length; i++) Assert.Equal(yv[i] == 0f ? 0f : w[i] / (1f - p), g[i]);
    }

    [Fact]
    public void SameSeedSameMask()
    {
        var x = Tensor.Ones(64);
        Assert.Equal(O.Dropout(x, 0.5f, true, new Rng(9)).ToArray(), O.Dropout(x, 0.5f, true, new Rng(9)).ToArray());
        Assert.NotEqual(O.Dropout(x, 0.5f, true, new Rng(9)).ToArray(), O.Dropout(x, 0.5f, true, new Rng(10)).ToArray());
    }

    [Fact]
    public void IdentityWhenNotTrainingOrPZero()
    {
        var x = Tensor.Ones(5);
        Assert.Same(x, O.Dropout(x, 0.5f, training: false, new Rng(1)));
        Assert.Same(x, O.Dropout(x, 0f, training: true, new Rng(1)));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    public void RejectsPOutsideUnitInterval(float p)
    {
        var e = Assert.Throws<ArgumentException>(() => O.Dropout(Tensor.Ones(2), p, true, new Rng(1)));
        Assert.Contains("[0, 1)", e.Message);
        Assert.Equal("p", e.ParamName);
    }
}
