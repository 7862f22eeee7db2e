using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Layers;

/// <summary>
/// Initialiser distributions on N = 100 000 draws. Tolerances are 5 standard errors: the sample mean of a
/// distribution with variance s² has σ = s/√N; the sample variance has relative σ √(2/N) ≈ 0.45 % for a normal and
/// √(4/5 − … ) → 0.89/√N ≈ 0.28 % for a uniform (Var(x²)/E[x²]² = 4/5 for U(−b, b)).
/// </summary>
public class InitTests
{
    private const int Rows = 200, Cols = 500, N = Rows * Cols;

    private static (double Mean, double Var) Moments(Tensor t)
    {
        var s = t.ToArray();
        double mean = s.Average(v => (double)v);
        return (mean, s.Sum(v => (v - mean) * (v - mean)) / (s.Length - 1));
    }

    private static void AssertUniform(Tensor t, double bound)
    {
        Assert.All(t.ToArray(), v => Assert.True(v >= -bound && v < bound, $"{v} outside [−{bound}, {bound})"));
        var (mean, var) = Moments(t);
        double expectedVar = bound * bound / 3;
        Assert.InRange(mean, -5 * Math.Sqrt(expectedVar / N), 5 * Math.Sqrt(expectedVar / N));
        Assert.InRange(var / expectedVar, 1 - 5 * 0.89 / Math.Sqrt(N), 1 + 5 * 0.89 / Math.Sqrt(N));
    }

    private static void AssertNormal(Tensor t, double std)
    {
        var (mean, var) = Moments(t);
        Assert.InRange(mean, -5 * std / Math.Sqrt(N), 5 * std / Math.Sqrt(N));
        Assert.InRange(var / (std * std), 1 - 5 * Math.Sqrt(2.0 / N), 1 + 5 * Math.Sqrt(2.0 / N));
    }

    [Fact]
    public void GainsMatchTorchCalculateGain()
    {
        Assert.Equal(1.0, Init.CalculateGain(Nonlinearity.Linear));
        Assert.Equal(1.0, Init.CalculateGain(Nonlinearity.Sigmoid));
        Assert.Equal(5.0 / 3, Init.CalculateGain(Nonlinearity.Tanh));
        Assert.Equal(Math.Sqrt(2), Init.CalculateGain(Nonlinearity.Relu));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.2 * 0.2)), Init.CalculateGain(Nonlinearity.LeakyRelu, 0.2));
        Assert.Equal(0.75, Init.CalculateGain(Nonlinearity.Selu));
    }

    [Fact]
    public void FansIncludeReceptiveField()
    {
        Assert.Equal((3 * 5 * 7, 2 * 5 * 7), Init.Fans(Tensor.Zeros(2, 3, 5, 7)));
        Assert.Throws<ArgumentException>(() => Init.Fans(Tensor.Zeros(4)));
    }

    [Fact]
    public void KaimingUniformHasBoundGainTimesSqrtThreeOverFan()
    {
        AssertUniform(Init.KaimingUniform(Tensor.Zeros(Rows, Cols), new Rng(1), nonlinearity: Nonlinearity.Relu), Math.Sqrt(2) * Math.Sqrt(3.0 / Cols));
        AssertUniform(Init.KaimingUniform(Tensor.Zeros(Rows, Cols), new Rng(2), mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu), Math.Sqrt(2) * Math.Sqrt(3.0 / Rows));
        // PyTorch's Linear default: a = √5 gives bound 1/√fan_in.
        AssertUniform(Init.KaimingUniform(Tensor.Zeros(Rows, Cols), new Rng(3), a: Math.Sqrt(5)), 1 / Math.Sqrt(Cols));
    }

    [Fact]
    public void KaimingNormalHasStdGainOverSqrtFan() =>
        AssertNormal(Init.KaimingNormal(Tensor.Zeros(Rows, Cols), new Rng(4), nonlinearity: Nonlinearity.Tanh), 5.0 / 3 / Math.Sqrt(Cols));

    [Fact]
    public void XavierUsesBothFans()
    {
        AssertUniform(Init.XavierUniform(Tensor.Zeros(Rows, Cols), new Rng(5), gain: 2), 2 * Math.Sqrt(6.0 / (Rows + Cols)));
        AssertNormal(Init.XavierNormal(Tensor.Zeros(Rows, Cols), new Rng(6)), Math.Sqrt(2.0 / (Rows + Cols)));
    }

    [Fact]
    public void UniformNormalZerosOnes()
    {
        var u = Init.Uniform(Tensor.Zeros(N), new Rng(7), 2, 3);
        Assert.All(u.ToArray(), v => Assert.True(v >= 2f && v < 3f));
        Assert.InRange(Moments(u).Mean, 2.5 - 5 * Math.Sqrt(1.0 / 12 / N), 2.5 + 5 * Math.Sqrt(1.0 / 12 / N));
        var n = Init.Normal(Tensor.Zeros(N), new Rng(8), 3, 0.5);
        Assert.InRange(Moments(n).Mean, 3 - 5 * 0.5 / Math.Sqrt(N), 3 + 5 * 0.5 / Math.Sqrt(N));
        Assert.All(Init.Zeros(Tensor.Ones(5)).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(Init.Ones(Tensor.Zeros(5)).ToArray(), v => Assert.Equal(1f, v));
        Assert.Throws<ArgumentException>(() => Init.Uniform(Tensor.Zeros(2), new Rng(1), 1, 0));
    }

    [Fact]
    public void SameSeedSameWeights() =>
        Assert.Equal(Init.XavierUniform(Tensor.Zeros(3, 4), new Rng(9)).ToArray(), Init.XavierUniform(Tensor.Zeros(3, 4), new Rng(9)).ToArray());
}
