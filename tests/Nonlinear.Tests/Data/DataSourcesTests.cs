using Nonlinear.Data;
using Xunit;

namespace Nonlinear.Tests.Data;

/// <summary>Runs only where Debian's dataset-fashion-mnist package (installed on the dev machines and in CI) is present.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!Directory.Exists(DataSources.FashionMnistSystemDir))
            Skip = $"{DataSources.FashionMnistSystemDir} is absent (apt-get install dataset-fashion-mnist).";
    }
}

public class DataSourcesTests
{
    [Fact]
    public void DigitsLoadsAsFixedStratifiedSplit()
    {
        var (train, test) = DataSources.Load("digits", null);
        Assert.Equal((1438, 359, 64, 10), (train.Count, test.Count, train.FeatureCount, test.NumClasses));
        Assert.Equal("digits/train", train.Name);
        var (train2, test2) = DataSources.Load("DIGITS", null);
        Assert.Equal(test.Features, test2.Features);
        Assert.Equal(train.Labels, train2.Labels);
    }

    [Fact]
    public void DigitsAreFoundBesideTheAssembly()
    {
        // The test project references the CLI, whose data/** content is copied into this output directory.
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "data/digits.csv.gz"), DataSources.FindDigits());
    }

    [Fact]
    public void DigitsFallbackWalksUpFromCurrentDirectoryElseExplains()
    {
        string root = TestFiles.Dir(), nested = Path.Combine(root, "a", "b"), nowhere = TestFiles.Dir();
        Directory.CreateDirectory(Path.Combine(root, "data"));
        Directory.CreateDirectory(nested);
        File.WriteAllText(Path.Combine(root, "data", "digits.csv.gz"), "");
        Assert.Equal(Path.Combine(root, "data/digits.csv.gz"), DataSources.FindDigits(nowhere, nested));
        var e = Assert.Throws<FileNotFoundException>(() => DataSources.FindDigits(nowhere, nowhere));
        Assert.Equal($"The bundled digits data set was not found: looked for {nowhere}/data/digits.csv.gz and for data/digits.csv.gz in {nowhere} " +
            "and its parents. It ships in the repository as data/digits.csv.gz and is copied next to the nonlinear executable.", e.Message);
    }

    [Fact]
    public void CsvPathSpec()
    {
        string path = TestFiles.Text("small.csv", string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}")));
        var (train, test) = DataSources.Load(path, null);
        Assert.Equal((16, 4), (train.Count, test.Count));
        Assert.Equal(2, test.Labels!.Count(l => l == 0));
    }

    [Fact]
    public void UnknownSpec()
    {
        var e = Assert.Throws<InvalidInputException>(() => DataSources.Load("cifar-99", null));
        Assert.Contains("data 'cifar-99': expected digits, fashion-mnist or the path of an existing CSV file", e.Message);
    }

    [Fact]
    public void MissingFashionMnistSaysHowToInstall()
    {
        string empty = TestFiles.Dir(), alsoEmpty = TestFiles.Dir();
        var e = Assert.Throws<FileNotFoundException>(() => DataSources.LoadFashionMnist(empty, alsoEmpty));
        // An explicit --data-dir is the only place looked in, even when the system folder would have the files.
        Assert.Equal($"Fashion-MNIST not found in {empty}: install with `apt-get install dataset-fashion-mnist` " +
            "or pass --data-dir DIR containing the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, " +
            "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz.", e.Message);
    }

    [Fact]
    public void DataDirIsSearchedFirstAndAcceptsUncompressedFiles()
    {
        string dir = TestFiles.Dir();
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), TestFiles.Idx(0x803, [2, 1, 2], [0, 255, 51, 102]));
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), TestFiles.Idx(0x801, [2], [4, 7]));
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), TestFiles.Idx(0x803, [1, 1, 2], [255, 0]));
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), TestFiles.Idx(0x801, [2], [1, 2]));
        var e = Assert.Throws<InvalidDataException>(() => DataSources.Load("fashion-mnist", dir));
        Assert.Contains("expected 1 labels to match", e.Message);
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), TestFiles.Idx(0x801, [1], [3]));
        var (train, test) = DataSources.Load("fashion-mnist", dir);
        Assert.Equal(new float[] { 0, 1, 0.2f, 0.4f }, train.Features);
        Assert.Equal(new[] { 4, 7 }, train.Labels);
        // The test set has the training set's 8 classes (labels up to 7), not 1 + its own largest label.
        Assert.Equal((1, 2, 8), (test.Count, test.FeatureCount, test.NumClasses));
    }

    [FashionMnistFact]
    public void RealFashionMnistHasOfficialSplit()
    {
        var (train, test) = DataSources.Load("fashion-mnist", null);
        Assert.Equal((60000, 10000, 784, 10), (train.Count, test.Count, train.FeatureCount, train.NumClasses));
        // numpy on the gzip files: train labels[:10], test labels[:10], per-class counts, image sums.
        Assert.Equal(new[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 }, train.Labels![..10]);
        Assert.Equal(new[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }, test.Labels![..10]);
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(6000, train.Labels.Count(l => l == k)));
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(1000, test.Labels.Count(l => l == k)));
        Assert.Equal(new[] { 55, 236, 228, 230, 228 }, train.Row(0).Slice(13 * 28 + 12, 5).ToArray().Select(v => (int)Math.Round(v * 255)));
        Assert.Equal(76247, (int)Math.Round(train.Row(0).ToArray().Sum(v => (double)v) * 255));
        Assert.Equal(24390, (int)Math.Round(test.Row(9999).ToArray().Sum(v => (double)v) * 255));
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in train.Features) { min = Math.Min(min, v); max = Math.Max(max, v); }
        Assert.Equal((0f, 1f), (min, max));
    }
}
