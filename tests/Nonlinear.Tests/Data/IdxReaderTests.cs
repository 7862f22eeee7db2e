using Nonlinear.Data;
using Xunit;

namespace Nonlinear.Tests.Data;

public class IdxReaderTests
{
    private static readonly byte[] Pixels = [0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8, 9];   // 2 images of 2×3

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesScaledToUnitInterval(bool gzip)
    {
        string path = TestFiles.Write("img.idx", TestFiles.Idx(0x803, [2, 2, 3], Pixels), gzip);
        Assert.Equal(gzip, DataFile.IsGzip(path));
        var (pixels, count, rows, cols) = IdxReader.ReadImages(path);
        Assert.Equal((2, 2, 3), (count, rows, cols));
        Assert.Equal(Pixels.Select(p => (float)(p / 255.0)), pixels);
        Assert.Equal(0f, pixels[0]);
        Assert.Equal(1f, pixels[1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsLabels(bool gzip)
    {
        string path = TestFiles.Write("lab.idx", TestFiles.Idx(0x801, [4], [9, 0, 3, 255]), gzip);
        Assert.Equal(new[] { 9, 0, 3, 255 }, IdxReader.ReadLabels(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedDataNamesFileExpectedAndFound(bool gzip)
    {
        string path = TestFiles.Write("img.idx", TestFiles.Idx(0x803, [2, 2, 3], Pixels[..7]), gzip);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        // gzip: the trailer's content length (23) already disagrees with the header before anything is inflated.
        Assert.Equal(gzip ? $"{path}: the gzip trailer records 23 bytes of content but the IDX header (2×2×3) needs 28; the file is truncated or corrupt."
                          : $"{path}: truncated: expected 12 data bytes (2×2×3) after the 16-byte header, found 7.", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedHeader(bool gzip)
    {
        string path = TestFiles.Write("img.idx", TestFiles.Idx(0x803, [2, 2, 3], [])[..10], gzip);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Equal($"{path}: truncated: expected 3 dimension sizes after the magic, the file ends in size 1.", e.Message);
        string tiny = TestFiles.Write("t.idx", [0, 0], gzip);
        Assert.Contains("fewer than 4 bytes", Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(tiny)).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrailingBytesAreAnError(bool gzip)
    {
        string path = TestFiles.Write("lab.idx", TestFiles.Idx(0x801, [2], [1, 2, 3]), gzip);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
        if (gzip)
        {
            Assert.Equal($"{path}: the gzip trailer records 11 bytes of content but the IDX header (2) needs 10; the file is truncated or corrupt.", e.Message);
            return;
        }
        Assert.StartsWith($"{path}: expected 2 data bytes (2) after the 8-byte header, found ", e.Message);
        Assert.Contains("trailing bytes", e.Message);
    }

    [Fact]
    public void WrongMagicDtypeAndRankAreNamed()
    {
        string labels = TestFiles.Write("lab.idx", TestFiles.Idx(0x801, [1], [1]));
        Assert.Equal($"{labels}: expected IDX magic 0x00000803 (uint8 images, rank 3), found 0x00000801 (rank 1 instead of 3).",
            Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(labels)).Message);
        string floats = TestFiles.Write("f.idx", TestFiles.Idx(0xD01, [1], [0, 0, 0, 0]));
        Assert.Contains("found 0x00000D01 (element type code 0x0D instead of 0x08 (uint8))",
            Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(floats)).Message);
        string text = TestFiles.Text("x.idx", "hello world");
        Assert.Contains("(not an IDX file)", Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(text)).Message);
    }

    [Fact]
    public void HugeDimensionsAreRejectedBeforeAllocating()
    {
        string count = TestFiles.Write("img.idx", TestFiles.Idx(0x803, [int.MaxValue, 28, 28], [1, 2, 3]), gzip: true);
        Assert.Equal($"{count}: expected dimension 0 in [0, 10000000], found 2147483647.",
            Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(count)).Message);
        string side = TestFiles.Write("img.idx", TestFiles.Idx(0x803, [1, 5000, 28], [1]));
        Assert.Contains("expected dimension 1 in [0, 4096], found 5000", Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(side)).Message);
        string negative = TestFiles.Write("lab.idx", TestFiles.Idx(0x801, [-1], []));
        Assert.Contains("found -1", Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(negative)).Message);
        string tooBig = TestFiles.Write("img.idx", TestFiles.Idx(0x803, [9_900_000, 28, 28], [1, 2, 3]), gzip: true);
        Assert.Contains($"dimensions 9900000×28×28 give 7761600000 data bytes; at most {IdxReader.MaxDataBytes} are accepted.",
            Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(tooBig)).Message);
        // A gzip file claiming 157 MB but holding 3 bytes fails on its trailer, before inflating or allocating.
        string claims = TestFiles.Write("img.idx", TestFiles.Idx(0x803, [200_000, 28, 28], [1, 2, 3]), gzip: true);
        Assert.Equal($"{claims}: the gzip trailer records 19 bytes of content but the IDX header (200000×28×28) needs 156800016; the file is truncated or corrupt.",
            Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(claims)).Message);
        // Without gzip the file length says the same before allocating.
        string plain = TestFiles.Write("img.idx", TestFiles.Idx(0x803, [200_000, 28, 28], [1, 2, 3]));
        Assert.Equal($"{plain}: truncated: expected 156800000 data bytes (200000×28×28) after the 16-byte header, found 3.",
            Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(plain)).Message);
    }

    [Fact]
    public void CorruptGzipNamesFile()
    {
        string path = TestFiles.Write("img.idx.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.StartsWith($"{path}: ", e.Message);
    }
}
