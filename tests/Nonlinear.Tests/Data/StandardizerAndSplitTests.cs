using Nonlinear.Data;
using Xunit;

namespace Nonlinear.Tests.Data;

public class StandardizerAndSplitTests
{
    [Fact]
    public void StandardizerUsesTrainStatisticsAndMapsZeroStdToOne()
    {
        var train = Dataset.Classification([1, 10, 3, 10, 5, 10], [0, 1, 0], 2);
        var s = Standardizer.Fit(train);
        Assert.Equal(new float[] { 3, 10 }, s.Mean);
        Assert.Equal((float)Math.Sqrt(8.0 / 3), s.Std[0]);     // population std of {1,3,5}
        Assert.Equal(1f, s.Std[1]);                            // constant column
        var t = s.Transform(train);
        double z = 2 / Math.Sqrt(8.0 / 3);
        Close(new[] { -z, 0, 0, 0, z, 0 }, t.Features);
        Assert.Equal(new float[] { 1, 10, 3, 10, 5, 10 }, train.Features);   // the input is not modified
        var test = Dataset.Classification([7, 11], [1], 2);
        Close(new[] { 4 / Math.Sqrt(8.0 / 3), 1 }, s.Transform(test).Features);
        Assert.Equal(new[] { 0, 1, 0 }, t.Labels);
    }

    // float32 arithmetic against the double formula: within a few float ulps of values near 1.
    private static void Close(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 6);
    }

    [Fact]
    public void StandardizerOnDigitsMatchesNumpy()
    {
        var digits = CsvReader.Read(DataSources.FindDigits());
        var s = Standardizer.Fit(digits);
        // numpy: x[:, :-1].mean(0)[10] = 10.382303839732888, .std(0)[10] = 5.419946941963766; columns 0, 32, 39 are constant.
        Assert.Equal(10.382303839732888, s.Mean[10], 5);
        Assert.Equal(5.419946941963766, s.Std[10], 5);
        Assert.Equal(new[] { 0, 32, 39 }, Enumerable.Range(0, 64).Where(j => s.Std[j] == 1f && s.Mean[j] == 0f));
    }

    [Fact]
    public void StandardizerRejectsMismatchedFeatureCount()
    {
        var s = new Standardizer([0f, 0f], [1f, 1f]);
        var e = Assert.Throws<ArgumentException>(() => s.Transform(Dataset.Classification([1, 2, 3], [0], 3)));
        Assert.Contains("3 features", e.Message);
        Assert.Contains("fitted on 2", e.Message);
        Assert.Throws<ArgumentException>(() => new Standardizer([0f], [0f]));
    }

    [Fact]
    public void StratifiedSplitKeepsClassProportionsAndIsSeeded()
    {
        var digits = CsvReader.Read(DataSources.FindDigits());
        var (train, val) = DatasetSplit.TrainValidation(digits, 0.2, seed: 5, stratify: true);
        // round(0.2 × class count), halves away from zero: numpy gives [36,36,35,37,36,36,36,36,35,36].
        Assert.Equal(new[] { 36, 36, 35, 37, 36, 36, 36, 36, 35, 36 }, Enumerable.Range(0, 10).Select(k => val.Labels!.Count(l => l == k)));
        Assert.Equal((1438, 359), (train.Count, val.Count));
        Assert.Equal(10, val.NumClasses);
        var (train2, val2) = DatasetSplit.TrainValidation(digits, 0.2, seed: 5, stratify: true);
        Assert.Equal(val.Features, val2.Features);
        Assert.Equal(train.Labels, train2.Labels);
        var (_, val3) = DatasetSplit.TrainValidation(digits, 0.2, seed: 6, stratify: true);
        Assert.NotEqual(val.Features, val3.Features);
        // Every row lands in exactly one part: the multisets of rows add up to the original.
        Assert.Equal(Enumerable.Range(0, digits.Count).Select(i => RowKey(digits, i)).Order(),
            Enumerable.Range(0, train.Count).Select(i => RowKey(train, i)).Concat(Enumerable.Range(0, val.Count).Select(i => RowKey(val, i))).Order());
    }

    private static string RowKey(Dataset d, int i) => string.Join(",", d.Row(i).ToArray()) + ":" + d.Labels![i];

    [Fact]
    public void UnstratifiedSplitAndArgumentChecks()
    {
        var data = Dataset.Regression(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), new float[10], 1);
        var (train, val) = DatasetSplit.TrainValidation(data, 0.3, seed: 1, stratify: false);
        Assert.Equal((7, 3), (train.Count, val.Count));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), train.Features.Concat(val.Features).Order());
        Assert.Contains("stratify needs class labels", Assert.Throws<ArgumentException>(() => DatasetSplit.TrainValidation(data, 0.3, 1, stratify: true)).Message);
        Assert.Contains("validationFraction = 1.5", Assert.Throws<ArgumentException>(() => DatasetSplit.TrainValidation(data, 1.5, 1, false)).Message);
    }
}
