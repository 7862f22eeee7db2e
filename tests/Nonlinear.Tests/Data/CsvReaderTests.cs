using Nonlinear.Data;
using Xunit;

namespace Nonlinear.Tests.Data;

public class CsvReaderTests
{
    [Fact]
    public void ReadsBundledDigits()
    {
        var d = CsvReader.Read(DataSources.FindDigits());
        Assert.Equal((1797, 64, 10), (d.Count, d.FeatureCount, d.NumClasses));
        // First and last rows as printed by `zcat data/digits.csv.gz | head -1 / tail -1`.
        Assert.Equal(new float[] { 0, 0, 5, 13, 9, 1, 0, 0 }, d.Row(0)[..8].ToArray());
        Assert.Equal(0, d.Labels![0]);
        Assert.Equal(new float[] { 0, 0, 10, 14, 8, 1, 0, 0 }, d.Row(1796)[..8].ToArray());
        Assert.Equal(8, d.Labels[1796]);
        Assert.Equal(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, Enumerable.Range(0, 10).Select(k => d.Labels.Count(l => l == k)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NamedHeaderAndLabelByName(bool gzip)
    {
        string path = TestFiles.Text("t.csv", "a, \"label\" ,b\r\n1.5,2,-3\r\n\r\n4e2,0,5\r\n", gzip);
        var d = CsvReader.Read(path, new CsvOptions { LabelName = "label" });
        Assert.Equal(new float[] { 1.5f, -3f, 400f, 5f }, d.Features);
        Assert.Equal(new[] { 2, 0 }, d.Labels);
        Assert.Equal(3, d.NumClasses);
    }

    [Fact]
    public void ScikitLearnCountHeaderIsSkipped()
    {
        // breast_cancer.csv style: "rows,features,class names...", here with more fields than the data.
        var d = CsvReader.Read(TestFiles.Text("bc.csv", "2,2,malignant,benign\n1,2,0\n3,4,1\n"));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, d.Features);
        Assert.Equal(new[] { 0, 1 }, d.Labels);
        // A numeric first line shorter than the data rows.
        var shortFirst = CsvReader.Read(TestFiles.Text("s.csv", "569,30\n1,2,3,1\n"));
        Assert.Equal((1, 3), (shortFirst.Count, shortFirst.FeatureCount));
        // iris.csv: "150,4,setosa,versicolor,virginica" has as many fields as the data but is not numeric.
        var iris = CsvReader.Read(TestFiles.Text("iris.csv", "2,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,2\n"));
        Assert.Equal(new float[] { 5.1f, 3.5f, 1.4f, 0.2f, 4.9f, 3.0f, 1.4f, 0.2f }, iris.Features);
        Assert.Equal(new[] { 0, 2 }, iris.Labels);
    }

    [Fact]
    public void LabelColumnByIndexAndRegressionTargets()
    {
        string path = TestFiles.Text("r.csv", "7,0.5,1\n8,0.25,2\n");
        var byIndex = CsvReader.Read(path, new CsvOptions { LabelColumn = 0 });
        Assert.Equal(new[] { 7, 8 }, byIndex.Labels);
        Assert.Equal(new float[] { 0.5f, 1, 0.25f, 2 }, byIndex.Features);
        var reg = CsvReader.Read(path, new CsvOptions { LabelColumn = 1, Task = CsvTask.Regression });
        Assert.True(reg.IsRegression);
        Assert.Equal(new float[] { 0.5f, 0.25f }, reg.Targets);
        Assert.Equal(new float[] { 7, 1, 8, 2 }, reg.Features);
        var forced = CsvReader.Read(path, new CsvOptions { HasHeader = true });
        Assert.Equal(1, forced.Count);
    }

    private static string Error(string text, CsvOptions? options = null, bool gzip = false)
    {
        string path = TestFiles.Text("bad.csv", text, gzip);
        var e = Assert.Throws<InvalidDataException>(() => CsvReader.Read(path, options));
        Assert.StartsWith(path, e.Message);
        return e.Message[path.Length..];
    }

    [Fact]
    public void MalformedNumberNamesLineColumnAndText() =>
        Assert.Equal(":3:2: malformed number '1.2.3'.", Error("1,2,0\n3,4,1\n5,1.2.3,0\n"));

    [Fact]
    public void NaNInDataIsAClearError()
    {
        Assert.Equal(":2:1: NaN in data ('NaN'); missing values are not supported.", Error("1,2,0\nNaN,4,1\n"));
        Assert.Equal(":1:2: infinite value in data ('-Infinity' is outside the float32 range).", Error("1,-Infinity,0\n", gzip: true));
        Assert.Equal(":1:1: infinite value in data ('1e39' is outside the float32 range).", Error("1e39,2,0\n"));
    }

    [Fact]
    public void RaggedRows() =>
        Assert.Equal(":4: ragged row: expected 3 fields, found 2.", Error("1,2,0\n3,4,1\n\n5,6\n"));

    [Fact]
    public void EmptyFiles()
    {
        Assert.Equal(": empty file: expected at least one data row, found none.", Error(""));
        Assert.Equal(": empty file: expected at least one data row, found none.", Error("\n  \n", gzip: true));
        Assert.Equal(": empty file: expected data rows after the header, found none.", Error("a,b,label\n"));
    }

    [Fact]
    public void LabelsThatAreNotIntegers()
    {
        Assert.Equal(":2:3: label '1.5' is not an integer class index in [0, 10000) (at most 10000 classes unless the number of classes is given).", Error("1,2,0\n3,4,1.5\n"));
        Assert.Equal(":1:3: label '-1' is not an integer class index in [0, 10000) (at most 10000 classes unless the number of classes is given).", Error("1,2,-1\n"));
        Assert.Equal(":2:3: label 'cat' is not an integer class index in [0, 10000) (at most 10000 classes unless the number of classes is given).", Error("a,b,c\n1,2,cat\n"));
    }

    [Fact]
    public void LabelNameProblems()
    {
        Assert.Equal(": label column 'y' not in the header; columns are: a, b, c.", Error("a,b,c\n1,2,0\n", new CsvOptions { LabelName = "y" }));
        Assert.Equal(": label column 'y' requested by name but the file has no header row.", Error("1,2,0\n", new CsvOptions { LabelName = "y" }));
        string path = TestFiles.Text("ok.csv", "1,2,0\n");
        var e = Assert.Throws<InvalidInputException>(() => CsvReader.Read(path, new CsvOptions { LabelColumn = 3 }));
        Assert.Contains("LabelColumn = 3", e.Message);
        Assert.Contains("[-3, 2]", e.Message);
    }

    [Fact]
    public void MissingFile()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CsvReader.Read("/nonexistent/x.csv"));
        Assert.Contains("/nonexistent/x.csv", e.Message);
    }
}
