using System.IO.Compression;
using Nonlinear.Data;
using Xunit;

namespace Nonlinear.Tests.Data;

/// <summary>The IDX findings of issue 9: gzip bombs are refused before inflating; train/test mismatches are found at load, naming the file.</summary>
public class HostileIdxTests
{
    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void BombWithSmallHeaderIsRefusedBeforeInflating()
    {
        // 3 images of 4×3 declared, 64 MB of zeros behind them: the trailer's size disagrees with the header.
        var content = new byte[64 << 20];
        TestFiles.Idx(0x803, [3, 4, 3], []).CopyTo(content, 0);
        string path = TestFiles.Write("bomb.idx.gz", Gzip(content));
        Assert.True(new FileInfo(path).Length < 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var msg = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path)).Message;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal($"{path}: the gzip trailer records {64 << 20} bytes of content but the IDX header (3×4×3) needs 52; the file is truncated or corrupt.", msg);
        Assert.True(allocated < 2 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void BombWithAnHonestHeaderIsRefusedByItsRatio()
    {
        // 8 MB of zeros whose header and trailer agree: only the compression ratio (about 1000×) gives it away.
        const int n = 10_000;
        var content = TestFiles.Idx(0x803, [n, 28, 28], new byte[n * 784]);
        string path = TestFiles.Write("honest.idx.gz", Gzip(content));
        long packed = new FileInfo(path).Length;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var msg = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path)).Message;
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2 << 20);
        Assert.Equal($"{path}: {packed} compressed bytes would inflate to {16 + n * 784} ({n}×28×28), more than 100× " +
                     "(image data compresses 2–5×; this looks like a gzip bomb). Decompress it with gunzip if it is genuine.", msg);
        // The same content uncompressed is fine, and so is real-looking data of that size.
        Assert.Equal(n, IdxReader.ReadImages(TestFiles.Write("honest.idx", content)).Count);
        var pixels = new byte[n * 784];
        new Random(1).NextBytes(pixels);
        var noisy = TestFiles.Idx(0x803, [n, 28, 28], pixels);
        Assert.Equal(n, IdxReader.ReadImages(TestFiles.Write("noisy.idx.gz", Gzip(noisy))).Count);
    }

    [Fact]
    public void HeaderClaimingGigabytesIsRefusedBeforeInflating()
    {
        // 600000 images of 60×60 = 2.16 GB: within the old per-dimension bounds, beyond the data bound.
        string path = TestFiles.Write("huge.idx.gz", TestFiles.Idx(0x803, [600_000, 60, 60], new byte[100]), gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var msg = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path)).Message;
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2 << 20);
        Assert.Equal($"{path}: dimensions 600000×60×60 give 2160000000 data bytes; at most {IdxReader.MaxDataBytes} are accepted.", msg);
    }

    [Fact]
    public void TruncatedGzipIdxIsDetected()
    {
        byte[] gz = Gzip(TestFiles.Idx(0x801, [5000], Enumerable.Range(0, 5000).Select(i => (byte)(i * 31 % 10)).ToArray()));
        string path = TestFiles.Write("cut.idx.gz", gz[..^8]);
        var msg = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path)).Message;
        Assert.StartsWith($"{path}: ", msg);
    }

    private static string FashionDir(int[] testDims, byte[] testLabels)
    {
        string dir = TestFiles.Dir();
        void Put(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(dir, name[..^3]), bytes);
        Put(DataSources.FashionMnistFiles[0], TestFiles.Idx(0x803, [4, 2, 2], new byte[16]));
        Put(DataSources.FashionMnistFiles[1], TestFiles.Idx(0x801, [4], [0, 1, 9, 2]));
        Put(DataSources.FashionMnistFiles[2], TestFiles.Idx(0x803, testDims, new byte[testDims.Aggregate(1, (a, b) => a * b)]));
        Put(DataSources.FashionMnistFiles[3], TestFiles.Idx(0x801, [testLabels.Length], testLabels));
        return dir;
    }

    [Fact]
    public void TrainTestShapeMismatchIsFoundAtLoadNamingTheFiles()
    {
        string dir = FashionDir([2, 3, 2], [0, 1]);
        var msg = Assert.Throws<InvalidDataException>(() => DataSources.LoadFashionMnist(dir, dir)).Message;
        Assert.Equal($"{dir}/t10k-images-idx3-ubyte / {dir}/t10k-labels-idx1-ubyte: 6 features per row, but the training data " +
                     $"{dir}/train-images-idx3-ubyte / {dir}/train-labels-idx1-ubyte has 4.", msg);
    }

    [Fact]
    public void OutOfRangeTestLabelIsFoundAtLoadNamingTheFile()
    {
        string dir = FashionDir([2, 2, 2], [3, 10]);
        var msg = Assert.Throws<InvalidDataException>(() => DataSources.LoadFashionMnist(dir, dir)).Message;
        Assert.Equal($"{dir}/t10k-images-idx3-ubyte / {dir}/t10k-labels-idx1-ubyte: label 10 (row 2) is outside the 10 classes [0, 10) of the training data " +
                     $"{dir}/train-images-idx3-ubyte / {dir}/train-labels-idx1-ubyte.", msg);
        // A test set without the top class still gets the training set's 10 classes.
        string ok = FashionDir([2, 2, 2], [3, 1]);
        var (_, test) = DataSources.LoadFashionMnist(ok, ok);
        Assert.Equal(10, test.NumClasses);
    }
}
