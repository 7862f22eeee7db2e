using Nonlinear.Quantization;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Quantization;

public class CalibrationTests
{
    // Gaussian values plus a few far outliers: the case where clipping pays.
    private static CalibrationHistogram HeavyTailed(bool nonNegative)
    {
        var rng = new Rng(3);
        var v = Enumerable.Range(0, 50_000).Select(_ => (float)rng.NextGaussian()).ToList();
        if (nonNegative) v = v.Select(Math.Abs).ToList();
        v.AddRange([40f, 35f, nonNegative ? 30f : -38f]);
        return CalibrationHistogram.From(v.ToArray());
    }

    [Fact]
    public void MinMaxIsTheObservedRange()
    {
        var h = CalibrationHistogram.From([-2f, 0.5f, 3f]);
        Assert.Equal((-2.0, 3.0), new MinMaxCalibration().Range(h));
        var q = new MinMaxCalibration().Parameters(h);
        Assert.Equal(5f / 255, q.Scale, 1e-7f);
        Assert.Equal(102, q.ZeroPoint); // round(2 / (5/255)) = round(102.0)
    }

    [Fact]
    public void PercentileCutsTheTails()
    {
        var h = CalibrationHistogram.From(Enumerable.Range(0, 10_001).Select(i => (float)i).ToArray());
        var (lo, hi) = new PercentileCalibration(99).Range(h);
        Assert.InRange(hi, 9895, 9905);
        Assert.InRange(lo, 95, 105);
        Assert.Throws<InvalidInputException>(() => new PercentileCalibration(40));
    }

    /// <summary>
    /// MSE's range beats min-max on its own objective when a rare outlier stretches the range, and clips it: 2·10⁷ values
    /// in [0, 1] and one at 100. (At 8 bits a few outliers among 10⁵ Gaussian values are cheaper kept than clipped.)
    /// </summary>
    [Fact]
    public void MseClipsOutliersAndLowersTheError()
    {
        var counts = new long[2048];
        for (int i = 0; i < 20; i++) counts[i] = 1_000_000;
        counts[^1] = 1;
        var h = new CalibrationHistogram(0, 100, counts);
        var mse = new MseCalibration();
        var (lo, hi) = mse.Range(h);
        Assert.True(hi < 10 && hi > 0.98 && lo == 0, $"range [{lo}, {hi}]");
        Assert.True(h.QuantizationError(mse.Parameters(h)) < h.QuantizationError(new MinMaxCalibration().Parameters(h)));
    }

    [Fact]
    public void EntropyClipsTheLongTailOfNonNegativeData()
    {
        var h = HeavyTailed(true);
        var (lo, hi) = new EntropyCalibration().Range(h);
        Assert.Equal(0, lo, 1e-3);
        Assert.True(hi > 2.5 && hi < 20, $"threshold {hi}");
        // Uniform data has nothing to clip: the threshold stays near the maximum.
        var u = CalibrationHistogram.From(Enumerable.Range(0, 20_000).Select(i => i / 20_000f).ToArray());
        Assert.True(new EntropyCalibration().Range(u).Max > 0.9);
    }

    [Fact]
    public void RegistryFindsMethodsCaseInsensitively()
    {
        Assert.Equal(["minmax", "percentile", "mse", "entropy"], CalibrationMethods.All.Select(m => m.Name));
        Assert.IsType<MseCalibration>(CalibrationMethods.Get(" MSE "));
        var e = Assert.Throws<InvalidInputException>(() => CalibrationMethods.Get("kl"));
        Assert.Contains("entropy", e.Message);
    }

    [Fact]
    public void RangeAlwaysHoldsZeroExactly()
    {
        var q = ActivationQuantization.FromRange(0.5, 3);
        Assert.Equal(0, q.ZeroPoint);
        Assert.Equal(0.0, q.Dequantize(q.Quantize(0)));
        var all0 = ActivationQuantization.FromRange(0, 0);
        Assert.Equal(1f, all0.Scale);
        Assert.Throws<ArgumentException>(() => ActivationQuantization.FromRange(double.NaN, 1));
    }
}
