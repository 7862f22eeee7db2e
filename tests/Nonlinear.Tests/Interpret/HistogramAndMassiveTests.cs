using Nonlinear.Activations;
using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Statistics;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Interpret;

public sealed class HistogramAndMassiveTests
{
    [Fact]
    public void FixedBinsCountLikeNumpyHistogram()
    {
        // numpy.histogram([-1, 0, 0, 0.25, 0.5, 0.999, 1, 2, nan], bins=4, range=(0, 1)) → [2, 1, 1, 2]: 0.25 opens bin 1, and 1 falls in the last, closed bin.
        var h = Histogram.Fixed(0, 1, 4);
        h.Add([-1f, 0f, 0f, 0.25f, 0.5f, 0.999f, 1f, 2f, float.NaN]);
        Assert.Equal([2L, 1, 1, 2], h.Counts);
        Assert.Equal((1L, 1L, 1L), (h.Below, h.Above, h.NaNs));
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], h.Edges);
    }

    [Fact]
    public void FixedBinsAgreeWithTheirEdgesOnRandomDataAndMergeByParts()
    {
        var rng = new Rng(3);
        var v = Enumerable.Range(0, 5000).Select(_ => (float)rng.NextGaussian()).ToArray();
        var whole = Histogram.Fixed(-2, 2, 37);
        whole.Add(v);
        var a = Histogram.Fixed(-2, 2, 37);
        var b = Histogram.Fixed(-2, 2, 37);
        a.Add(v.AsSpan(0, 1234));
        b.Add(v.AsSpan(1234));
        a.Merge(b);
        Assert.Equal(whole.Counts, a.Counts);
        var e = whole.Edges;
        for (int i = 0; i < 37; i++)
        {
            int k = i;
            long direct = v.LongCount(x => x >= e[k] && (k == 36 ? x <= e[k + 1] : x < e[k + 1]));
            Assert.Equal(direct, whole.Counts[i]);
        }
        Assert.Equal(v.LongCount(x => x < -2), whole.Below);
        Assert.Equal(v.LongCount(x => x > 2), whole.Above);
    }

    [Fact]
    public void QuantileEdgesAreNumpyLinearQuantiles()
    {
        // numpy.quantile([4, 1, 3, 2, 10], [0, .25, .5, .75, 1]) = [1, 2, 3, 4, 10].
        var h = Histogram.Quantiles([4f, 1f, 3f, 2f, 10f, float.NaN], 4);
        Assert.Equal([1, 2, 3, 4, 10], h.Edges);
        Assert.Equal([1L, 1, 1, 2], h.Counts);
        Assert.Equal(1, h.NaNs);
        // numpy.quantile([1, 2, 3, 4], 1/3) = 2.0; numpy.quantile([1, 2, 3, 4], 0.5) = 2.5.
        var g = Histogram.Quantiles([1f, 2f, 3f, 4f], 2);
        Assert.Equal(2.5, g.Edges[1]);
    }

    [Fact]
    public void MassiveActivationsFindThePlantedOutlierAndItsInput()
    {
        var rng = new Rng(11);
        int rows = 40, units = 16;
        var v = Enumerable.Range(0, rows * units).Select(_ => (float)rng.NextGaussian()).ToArray();
        v[23 * units + 5] = -500f;
        v[7 * units + 9] = 300f;
        var m = MassiveActivations.Find(new ActivationMatrix("h", v, rows, units), top: 2);
        Assert.Equal(new MassiveActivation(-500, 5, 23, 23), m.Top[0]);
        Assert.Equal(new MassiveActivation(300, 9, 7, 7), m.Top[1]);
        var abs = v.Select(f => Math.Abs((double)f)).OrderBy(d => d).ToArray();
        double median = 0.5 * (abs[abs.Length / 2 - 1] + abs[abs.Length / 2]);
        Assert.Equal(median, m.Median);
        Assert.Equal(500 / median, m.Ratio);
    }

    [Fact]
    public void MassiveActivationsOfAChannelLayoutNameTheInput()
    {
        // 2 inputs × 3 positions = 6 rows of 2 channels; the peak is in row 4 = input 1.
        var m = MassiveActivations.Find(new ActivationMatrix("c", [0, 1, 0, 0, 2, 0, 0, 0, 0, -7, 0, 0], 6, 2, rowsPerInput: 3), top: 1);
        Assert.Equal(new MassiveActivation(-7, 1, 4, 1), m.Top[0]);
        Assert.Equal(0, m.Median);
        Assert.Equal(double.PositiveInfinity, m.Ratio);
        Assert.Equal(3.5, m.RatioToNonzeroMedian); // nonzero |a| = 1, 2, 7
    }

    [Theory]
    [InlineData("tanh", -1.0, 1.0)]
    [InlineData("sigmoid", 0.0, 1.0)]
    [InlineData("relu6", 0.0, 6.0)]
    [InlineData("hardtanh", -1.0, 1.0)]
    [InlineData("gaussian", 0.0, 1.0)]
    public void BoundsComeFromTheCatalog(string name, double lo, double hi)
    {
        var (l, h) = ActivationBounds.Of(ActivationCatalog.Parse(name));
        Assert.Equal(lo, l!.Value, 12);
        Assert.Equal(hi, h!.Value, 12);
    }

    [Fact]
    public void UnboundedSidesStayNull()
    {
        Assert.Equal((0.0, (double?)null), ActivationBounds.Of(ActivationCatalog.Parse("relu")));
        Assert.Equal(((double?)null, (double?)null), ActivationBounds.Of(ActivationCatalog.Parse("identity")));
    }
}
