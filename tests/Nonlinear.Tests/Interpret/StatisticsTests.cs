using Nonlinear.Interpret.Capture;
using Nonlinear.Interpret.Statistics;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Interpret;

/// <summary>
/// Every streaming statistic against a plain two-pass double computation over all values, on awkward columns: a
/// constant unit, a unit of ±1e30, mostly zeros, NaNs, a tiny-variance unit around a large mean (where one-pass sums of
/// squares lose every digit), and ordinary Gaussian noise; fed in several chunkings and merge orders.
/// </summary>
public sealed class StatisticsTests
{
    private const int Rows = 257, Units = 6;

    private static float[] Awkward()
    {
        var rng = new Rng(7);
        var v = new float[Rows * Units];
        for (int r = 0; r < Rows; r++)
        {
            v[r * Units + 0] = 3.5f;                                                      // constant
            v[r * Units + 1] = (r % 3 == 0 ? -1f : 1f) * 1e30f * (1 + r % 5);             // huge, both signs
            v[r * Units + 2] = r % 4 == 0 ? (float)rng.NextGaussian() : 0f;               // mostly exact zeros
            v[r * Units + 3] = r % 10 == 3 ? float.NaN : (float)rng.NextGaussian() - 2f;  // NaNs
            v[r * Units + 4] = 1e6f + (r % 7) * 0.0625f;                                  // tiny spread, large mean
            v[r * Units + 5] = (float)Math.Tanh(3 * rng.NextGaussian());                   // saturates near ±1
        }
        return v;
    }

    private static ActivationStatistics Stream(float[] v, int[] cuts, StatisticsOptions options, bool reverse = false)
    {
        var parts = new List<(ActivationMatrix, long)>();
        for (int k = 0; k + 1 < cuts.Length; k++)
        {
            int rows = cuts[k + 1] - cuts[k];
            parts.Add((new ActivationMatrix("x", v.AsSpan(cuts[k] * Units, rows * Units).ToArray(), rows, Units), cuts[k]));
        }
        if (reverse) parts.Reverse();
        var total = new ActivationStatistics(Units, options);
        foreach (var (m, first) in parts)
        {
            // Each part in its own accumulator, merged: the parallel-chunks path.
            var one = new ActivationStatistics(Units, options);
            one.Add(m, first);
            total.Merge(one);
        }
        return total;
    }

    private static void AssertClose(double expected, double actual, double rel = 1e-12, string what = "")
    {
        if (double.IsNaN(expected)) { Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual}"); return; }
        Assert.True(Math.Abs(expected - actual) <= rel * Math.Max(1e-300, Math.Abs(expected)) || expected == actual, $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Theory]
    [InlineData(new[] { 0, 257 }, false)]
    [InlineData(new[] { 0, 1, 2, 100, 256, 257 }, false)]
    [InlineData(new[] { 0, 64, 128, 192, 257 }, true)]
    public void EveryUnitStatisticEqualsTheTwoPassReference(int[] cuts, bool reverse)
    {
        var v = Awkward();
        var options = new StatisticsOptions(ActivityRule.Positive, 0, Lower: -1, Upper: 1, SaturationTolerance: 0.01);
        var s = Stream(v, cuts, options, reverse);
        Assert.Equal(Rows, s.Rows);
        for (int u = 0; u < Units; u++)
        {
            var col = Enumerable.Range(0, Rows).Select(r => (double)v[r * Units + u]).ToArray();
            var x = col.Where(d => !double.IsNaN(d)).ToArray();
            double mean = x.Average();
            double m2 = x.Sum(d => (d - mean) * (d - mean)), m4 = x.Sum(d => Math.Pow(d - mean, 4));
            var st = s.Unit(u);
            Assert.Equal(x.Length, st.Moments.Count);
            Assert.Equal(Rows - x.Length, st.NaNCount);
            AssertClose(mean, st.Mean, 1e-13, $"mean[{u}]");
            // Rounding of the mean enters M2 relative to M2 itself only where M2 is not ~0 (the constant unit's is exactly 0).
            AssertClose(m2 / x.Length, st.Variance, 1e-9, $"var[{u}]");
            AssertClose(m2 == 0 ? double.NaN : x.Length * m4 / (m2 * m2) - 3, st.Kurtosis, 1e-8, $"kurt[{u}]");
            Assert.Equal(x.Min(), st.Min);
            Assert.Equal(x.Max(), st.Max);
            Assert.Equal(x.Count(d => d == 0), st.Zeros);
            Assert.Equal(x.Count(d => d > 0), st.Active);
            Assert.Equal(x.Count(d => d - -1 <= 0.01), st.AtLower);
            Assert.Equal(x.Count(d => 1 - d <= 0.01), st.AtUpper);
            Assert.Equal(x.All(d => d <= 0), st.IsDead);
        }
        // The constant unit: variance exactly 0, kurtosis undefined.
        Assert.Equal(0, s.Unit(0).Variance);
        Assert.True(s.Unit(5).AtLower > 0 && s.Unit(5).AtUpper > 0, "the tanh column saturates on both sides");
    }

    [Fact]
    public void LayerStatisticsAndMassiveLocationEqualTheReference()
    {
        var v = Awkward();
        v[(111 * Units) + 2] = -9e30f; // the largest |a|: unit 2, row 111
        var s = Stream(v, [0, 50, 200, 257], new StatisticsOptions(ActivityRule.Magnitude, 0.5));
        var x = v.Where(f => !float.IsNaN(f)).Select(f => (double)f).ToArray();
        double mean = x.Average();
        var layer = s.Layer;
        AssertClose(mean, layer.Mean, 1e-12, "layer mean");
        AssertClose(x.Sum(d => (d - mean) * (d - mean)) / x.Length, layer.Variance, 1e-12, "layer variance");
        Assert.Equal(x.Count(d => Math.Abs(d) > 0.5), layer.Active);
        Assert.Equal(((double)9e30f, 2, 111L), (s.MaxAbs, s.MaxAbsUnit, s.MaxAbsRow));
        // Dead under |a| > 0.5: a unit whose every value lies in [−0.5, 0.5].
        int dead = Enumerable.Range(0, Units).Count(u => Enumerable.Range(0, Rows).Select(r => v[r * Units + u]).Where(f => !float.IsNaN(f)).All(f => Math.Abs(f) <= 0.5));
        Assert.Equal(dead, s.DeadCount);
    }

    [Fact]
    public void KurtosisAndSkewnessMatchScipyOnASmallSet()
    {
        // scipy.stats.kurtosis([1, 2, 3, 4]) = -1.36; scipy.stats.skew([1, 1, 1, 5]) = 1.1547005383792515.
        var a = new ActivationStatistics(1);
        a.Add(new ActivationMatrix("k", [1, 2, 3, 4], 4, 1), 0);
        Assert.Equal(-1.36, a.Unit(0).Kurtosis, 14);
        var b = new ActivationStatistics(1);
        b.Add(new ActivationMatrix("s", [1, 1], 2, 1), 0);
        b.Add(new ActivationMatrix("s", [1, 5], 2, 1), 2);
        Assert.Equal(1.1547005383792515, b.Unit(0).Moments.Skewness, 14);
    }

    [Fact]
    public void DeadUnitsAreUnitsNeverActive()
    {
        // Unit 0 is never > 0, unit 1 only once, unit 2 only NaN (not dead: nothing seen).
        var m = new ActivationMatrix("d", [0, 0, float.NaN, -1, 2, float.NaN, 0, 0, float.NaN], 3, 3);
        var s = new ActivationStatistics(3);
        s.Add(m, 0);
        Assert.True(s.Unit(0).IsDead);
        Assert.False(s.Unit(1).IsDead);
        Assert.False(s.Unit(2).IsDead);
        Assert.Equal(1, s.DeadCount);
        Assert.Equal(1.0 / 3, s.DeadFraction, 15);
    }

    [Fact]
    public void MergeRefusesOtherShapes()
    {
        var a = new ActivationStatistics(2);
        Assert.Throws<ArgumentException>(() => a.Merge(new ActivationStatistics(3)));
        Assert.Throws<ArgumentException>(() => a.Add(new ActivationMatrix("x", [1, 2, 3], 1, 3), 0));
        Assert.Throws<InvalidInputException>(() => new ActivationStatistics(1, new StatisticsOptions(Epsilon: -1)));
    }
}
