using Nonlinear.Data;
using Xunit;

namespace Nonlinear.Tests.Data;

/// <summary>Item 9 of issue 9: the user's own test file instead of the built-in 80/20 split.</summary>
public class GivenTestSplitTests
{
    [Fact]
    public void TrainOnAllRowsTestOnTheGivenFile()
    {
        string train = TestFiles.Text("train.csv", "a,b,label\n1,2,0\n3,4,1\n5,6,2\n7,8,1\n");
        string test = TestFiles.Text("test.csv", "a,b,label\n9,10,1\n11,12,0\n");
        var (tr, te) = DataSources.Load(train, null, test, null);
        Assert.Equal((4, 2), (tr.Count, te.Count));
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, tr.Features);
        Assert.Equal(new float[] { 9, 10, 11, 12 }, te.Features);
        Assert.Equal(new[] { 1, 0 }, te.Labels);
        Assert.Equal(3, te.NumClasses);                     // the training set's classes, though the test file lacks class 2
        Assert.Equal(("train.csv/train", "test.csv/test"), (tr.Name, te.Name));
    }

    [Fact]
    public void MismatchedTestFileIsFoundAtLoadNamingIt()
    {
        string train = TestFiles.Text("train.csv", "1,2,0\n3,4,1\n");
        string wide = TestFiles.Text("wide.csv", "1,2,3,0\n");
        Assert.Equal($"{wide}: 3 features per row, but the training data {train} has 2.",
            Assert.Throws<InvalidDataException>(() => DataSources.Load(train, null, wide, null)).Message);
        string newClass = TestFiles.Text("new.csv", "0.5,2,1\n1,2,5\n");
        Assert.Equal($"{newClass}: label 5 (row 2) is outside the 2 classes [0, 2) of the training data {train}.",
            Assert.Throws<InvalidDataException>(() => DataSources.Load(train, null, newClass, null)).Message);
        Assert.Equal("--test 'x.csv' was given with --data fashion-mnist, which has its own test files; expected --data PATH.csv.",
            Assert.Throws<InvalidInputException>(() => DataSources.Load("fashion-mnist", null, "x.csv", null)).Message.Replace(" (Parameter 'testPath')", ""));
    }

    [Fact]
    public void DigitsWithAGivenTestFile()
    {
        var (all, _) = DataSources.Load("digits", null);
        string test = TestFiles.Text("digits-test.csv", string.Join(",", Enumerable.Repeat("0", 64)) + ",7\n");
        var (tr, te) = DataSources.Load("digits", null, test, null);
        Assert.Equal(1797, tr.Count);                      // every row of the bundled file
        Assert.True(all.Count < tr.Count);
        Assert.Equal((1, 10, 7), (te.Count, te.NumClasses, te.Labels![0]));
    }
}
