using System.IO.Compression;
using System.Text;
using Nonlinear.Data;
using Nonlinear.Tests.IO;
using Xunit;

namespace Nonlinear.Tests.Data;

/// <summary>The CSV findings of issue 9, each reproduced: truncated gzip, huge labels, empty test split, one class, devices, long lines, duplicate names.</summary>
public class HostileCsvTests
{
    private static string Rows(int n, Func<int, int> label) =>
        string.Concat(Enumerable.Range(0, n).Select(i => $"{i * 0.5},{(i * 7) % 13 - 6},{label(i)}\n"));

    private static byte[] Gzip(string text)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(text));
        return ms.ToArray();
    }

    [Fact]
    public void GZipStreamAloneDoesNotNoticeTruncation()
    {
        // The premise of the trailer check: if a future .NET throws here, the check is still right, just redundant.
        byte[] gz = Gzip(Rows(3000, i => i % 3));
        using var s = new GZipStream(new MemoryStream(gz[..(gz.Length / 2)]), CompressionMode.Decompress);
        var text = new StreamReader(s).ReadToEnd();
        Assert.True(text.Length > 0 && text.Length < Rows(3000, i => i % 3).Length);
    }

    [Theory]
    [InlineData(1)]      // last byte of the size
    [InlineData(4)]      // the whole size field
    [InlineData(8)]      // the whole trailer: the deflate data is complete
    [InlineData(9)]
    [InlineData(-2)]     // half the file
    public void TruncatedGzipIsDetected(int cut)
    {
        string text = Rows(3000, i => i % 3);
        byte[] gz = Gzip(text);
        int keep = cut > 0 ? gz.Length - cut : gz.Length / 2;
        string path = TestFiles.Write("cut.csv.gz", gz[..keep]);
        var msg = Assert.Throws<InvalidDataException>(() => CsvReader.Read(path)).Message;
        Assert.StartsWith($"{path}: truncated or corrupt gzip file: the trailer records ", msg);
        Assert.Equal(3000, CsvReader.Read(TestFiles.Write("whole.csv.gz", gz)).Count);
    }

    [Fact]
    public void FlippedByteInGzipDataIsDetected()
    {
        byte[] gz = Gzip(Rows(50, i => i % 2));
        gz[^5] ^= 0x10;                        // in the CRC field: the content itself decompresses fine
        string path = TestFiles.Write("flip.csv.gz", gz);
        // zlib itself checks the CRC when the trailer is there ("corrupt gzip data (…)"); ours checks it too.
        var msg = Assert.Throws<InvalidDataException>(() => CsvReader.Read(path)).Message;
        Assert.StartsWith($"{path}: ", msg);
        Assert.Contains("corrupt gzip", msg);
    }

    [Fact]
    public void LabelOfAMillionIsRefusedUnlessClassesAreGiven()
    {
        string path = TestFiles.Text("big.csv", "1,2,0\n3,4,1000000\n");
        Assert.Equal($"{path}:2:3: label '1000000' is not an integer class index in [0, 10000) (at most 10000 classes unless the number of classes is given).",
            Assert.Throws<InvalidDataException>(() => CsvReader.Read(path)).Message);
        string three = TestFiles.Text("three.csv", "1,2,0\n3,4,3\n");
        Assert.Equal($"{three}:2:3: label '3' is not an integer class index in [0, 3) (3 classes given).",
            Assert.Throws<InvalidDataException>(() => CsvReader.Read(three, new CsvOptions { Classes = 3 })).Message);
        var five = CsvReader.Read(TestFiles.Text("five.csv", "1,2,0\n3,4,2\n"), new CsvOptions { Classes = 5 });
        Assert.Equal(5, five.NumClasses);
        Assert.Contains("classes = 0; expected a number of classes in [1, 1000000]",
            Assert.Throws<InvalidInputException>(() => CsvReader.Read(three, new CsvOptions { Classes = 0 })).Message);
    }

    [Fact]
    public void EmptyTestSplitIsAnErrorNotZeroPercent()
    {
        // Two rows of two classes: stratified rounding puts round(0.2 × 1) = 0 rows of each into the test split.
        string path = TestFiles.Text("tiny.csv", "1.5,2,0\n3,4,1\n");
        Assert.Equal($"{path}: 2 rows leave the 20 % test split empty; expected enough rows for at least one test row, or --test FILE.",
            Assert.Throws<InvalidDataException>(() => DataSources.Load(path, null)).Message);
    }

    [Fact]
    public void OneClassFileWarnsOnce()
    {
        string path = TestFiles.Text("one.csv", Rows(20, _ => 0));
        var warnings = new List<string>();
        var (train, test) = DataSources.Load(path, null, null, warnings.Add);
        Assert.Equal((16, 4), (train.Count, test.Count));
        Assert.Equal([$"{path}: every row has label 0; a one-class data set makes any classifier 100 % accurate."], warnings);
        warnings.Clear();
        DataSources.Load(TestFiles.Text("two.csv", Rows(20, i => i % 2)), null, null, warnings.Add);
        Assert.Empty(warnings);
    }

    [Fact]
    public void DevicesFifosAndDirectoriesAreRefusedBeforeReading()
    {
        Assert.Equal("/dev/zero: is a character device, not a regular file; expected a regular file.",
            Assert.Throws<InvalidDataException>(() => CsvReader.Read("/dev/zero")).Message);
        Assert.Equal("/dev/zero: is a character device, not a regular file; expected a regular file.",
            Assert.Throws<InvalidDataException>(() => DataSources.Load("/dev/zero", null)).Message);
        string dir = TestFiles.Dir(), fifo = Path.Combine(dir, "rows.csv");
        Fifo.Make(fifo);
        Assert.Equal($"{fifo}: is a FIFO (named pipe), not a regular file; expected a regular file.",
            Assert.Throws<InvalidDataException>(() => CsvReader.Read(fifo)).Message);
        Assert.Equal($"{dir}: is a directory; expected a regular file.", Assert.Throws<InvalidDataException>(() => DataSources.Load(dir, null)).Message);
    }

    [Fact]
    public void LineLengthIsCapped()
    {
        var sb = new StringBuilder("a,b\n1,0\n").Append('7', CsvReader.MaxLineChars + 1);
        string path = TestFiles.Text("long.csv", sb.ToString());
        Assert.Equal($"{path}:3: line longer than {CsvReader.MaxLineChars} characters; expected a CSV text file with line breaks.",
            Assert.Throws<InvalidDataException>(() => CsvReader.Read(path)).Message);
        // Exactly at the cap is fine (a number that long still parses as a float feature).
        string ok = TestFiles.Text("ok.csv", "1," + new string(' ', CsvReader.MaxLineChars - 4) + "0\n");
        Assert.Equal(1, CsvReader.Read(ok).Count);
    }

    [Fact]
    public void LineEndingsAreThoseOfReadLine()
    {
        var d = CsvReader.Read(new StringReader("1,0\r\n2,1\r3,0\n\n4,1"), "mixed");
        Assert.Equal(new float[] { 1, 2, 3, 4 }, d.Features);
        Assert.Equal(new[] { 0, 1, 0, 1 }, d.Labels);
    }

    [Fact]
    public void DuplicateHeaderNamesNameBothColumns()
    {
        string path = TestFiles.Text("dup.csv", "x,y,\"x\",label\n1,2,3,0\n");
        Assert.Equal($"{path}:1: duplicate column name 'x' in columns 1 and 3; expected unique names.",
            Assert.Throws<InvalidDataException>(() => CsvReader.Read(path, new CsvOptions { LabelName = "label", Task = CsvTask.Regression, HasHeader = true })).Message);
    }
}
