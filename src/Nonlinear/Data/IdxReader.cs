using System.Buffers.Binary;
using Nonlinear.IO;

namespace Nonlinear.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (plain or gzip): a big-endian magic 00 00 TT RR
/// (TT = 0x08 for uint8, RR = rank), RR big-endian int32 sizes, then the row-major data. Every size is
/// bounded before anything is allocated; a short, long or malformed file is an <see cref="InvalidDataException"/>
/// naming the file, what was expected and what was found.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic of an image file: uint8, rank 3 (count × rows × cols).</summary>
    public const int ImagesMagic = 0x00000803;
    /// <summary>Magic of a label file: uint8, rank 1 (count).</summary>
    public const int LabelsMagic = 0x00000801;
    /// <summary>Most items accepted in one file (MNIST-like sets have 10⁴–10⁵).</summary>
    public const int MaxCount = 10_000_000;
    /// <summary>Largest image side accepted.</summary>
    public const int MaxSide = 4096;
    /// <summary>
    /// Most data bytes accepted in one file (5× Fashion-MNIST's training images). Checked against the header's
    /// dimensions before anything is inflated, so a small gzip bomb with a large header is refused at once;
    /// each byte becomes a 4-byte float, so this keeps a data set within about 1 GB.
    /// </summary>
    public const long MaxDataBytes = 256L << 20;
    /// <summary>
    /// Largest content-to-file size ratio accepted for gzip files with more than 1 MiB of content. Image and
    /// label files compress 2–5× (Fashion-MNIST 1.8×, MNIST 4.7×); deflate's limit is about 1032×, which is what
    /// a bomb of zeros reaches. Checked before inflating, so a 260 kB file whose header honestly claims 268 MB
    /// of zeros does not cost 1.5 GB of memory before it fails.
    /// </summary>
    public const int MaxGzipRatio = 100;

    // p / 255 correctly rounded (p · (1/255) is not: 51 would give 0.20000002 instead of 0.2f).
    private static readonly float[] Scale = Enumerable.Range(0, 256).Select(p => p / 255f).ToArray();

    /// <summary>Images scaled to [0, 1] (pixel / 255, correctly rounded), row-major count × rows × cols.</summary>
    public static (float[] Pixels, int Count, int Rows, int Cols) ReadImages(string path)
    {
        var (dims, pixels) = Read(path, ImagesMagic, "uint8 images, rank 3", ReadScaled);
        int count = dims[0], rows = dims[1], cols = dims[2];
        if (rows < 1 || rows > MaxSide || cols < 1 || cols > MaxSide)
            throw new InvalidDataException($"{path}: expected image sides in [1, {MaxSide}], found {rows}×{cols}.");
        return (pixels, count, rows, cols);
    }

    /// <summary>The labels as integers 0..255.</summary>
    public static int[] ReadLabels(string path)
    {
        var (_, labels) = Read(path, LabelsMagic, "uint8 labels, rank 1", static (s, count, sizeKnown) =>
        {
            byte[] data = GrowingRead.ReadUpTo(s, count, out long got);
            var labels = new int[got];
            for (int i = 0; i < labels.Length; i++) labels[i] = data[i];
            return (labels, got);
        });
        return labels;
    }

    /// <summary>
    /// Pixels straight into their float array through a 64 KiB buffer when the data's size is already vouched for
    /// (the file's length, or a gzip trailer checked against the header and the compression ratio), so loading
    /// Fashion-MNIST does not also hold its 47 MB of bytes and the doubling buffers that grew to them (about 110 MB
    /// that the process keeps resident afterwards). A stream of unknown size still grows as the bytes arrive.
    /// </summary>
    private static (float[] Data, long Got) ReadScaled(Stream s, long count, bool sizeKnown)
    {
        if (!sizeKnown)
        {
            byte[] data = GrowingRead.ReadUpTo(s, count, out long read);
            var scaled = new float[read];
            for (int i = 0; i < scaled.Length; i++) scaled[i] = Scale[data[i]];
            return (scaled, read);
        }
        var pixels = new float[count];
        var buffer = new byte[1 << 16];
        long got = 0;
        while (got < count)
        {
            int n = s.Read(buffer, 0, (int)Math.Min(buffer.Length, count - got));
            if (n == 0) break;
            for (int i = 0; i < n; i++) pixels[got + i] = Scale[buffer[i]];
            got += n;
        }
        return (pixels, got);
    }

    // readData(stream, count, sizeKnown) reads up to count data bytes and returns what it made of them and how many it read.
    private delegate (T Data, long Got) DataReader<T>(Stream stream, long count, bool sizeKnown);

    private static (int[] Dims, T Data) Read<T>(string path, int expectedMagic, string what, DataReader<T> readData)
    {
        try { return ReadUnchecked(path, expectedMagic, what, readData); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // GZipStream's own errors do not say which file was bad.
            throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message})", e);
        }
    }

    private static (int[] Dims, T Data) ReadUnchecked<T>(string path, int expectedMagic, string what, DataReader<T> readData)
    {
        using var s = DataFile.OpenRead(path, out long? length, out uint? gzipSize);
        Span<byte> word = stackalloc byte[4];
        if (s.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
            throw new InvalidDataException($"{path}: truncated: expected a 4-byte IDX magic 0x{expectedMagic:X8} ({what}), found a file of fewer than 4 bytes.");
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
        {
            string detail = (magic >> 16) != 0 ? "not an IDX file"
                : (magic >> 8 & 0xff) != 0x08 ? $"element type code 0x{magic >> 8 & 0xff:X2} instead of 0x08 (uint8)"
                : $"rank {magic & 0xff} instead of {expectedMagic & 0xff}";
            throw new InvalidDataException($"{path}: expected IDX magic 0x{expectedMagic:X8} ({what}), found 0x{magic:X8} ({detail}).");
        }
        int rank = expectedMagic & 0xff;
        var dims = new int[rank];
        long product = 1;
        for (int d = 0; d < rank; d++)
        {
            if (s.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
                throw new InvalidDataException($"{path}: truncated: expected {rank} dimension sizes after the magic, the file ends in size {d}.");
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(word);
            long max = d == 0 ? MaxCount : MaxSide;
            if (dims[d] < 0 || dims[d] > max)
                throw new InvalidDataException($"{path}: expected dimension {d} in [0, {max}], found {dims[d]}.");
            product *= dims[d];
        }
        long header = 4 + 4L * rank;
        string shape = string.Join("×", dims);
        if (product > MaxDataBytes)
            throw new InvalidDataException($"{path}: dimensions {shape} give {product} data bytes; at most {MaxDataBytes} are accepted.");
        // The trailer's length (mod 2^32) is known before inflating; a bomb whose header understates or
        // overstates its content is caught here rather than after gigabytes.
        if (gzipSize is uint claimed && claimed != (uint)(header + product))
            throw new InvalidDataException($"{path}: the gzip trailer records {claimed} bytes of content but the IDX header ({shape}) needs {header + product}; the file is truncated or corrupt.");
        if (length is long len && product != len - header)
            throw new InvalidDataException(product > len - header
                ? $"{path}: truncated: expected {product} data bytes ({shape}) after the {header}-byte header, found {len - header}."
                : $"{path}: expected {product} data bytes ({shape}) after the {header}-byte header, found {len - header} (trailing bytes).");
        if (gzipSize is not null && header + product > 1 << 20)
        {
            long packed = new FileInfo(path).Length;
            if (header + product > MaxGzipRatio * packed)
                throw new InvalidDataException($"{path}: {packed} compressed bytes would inflate to {header + product} ({shape}), more than {MaxGzipRatio}× " +
                    "(image data compresses 2–5×; this looks like a gzip bomb). Decompress it with gunzip if it is genuine.");
        }
        var (data, got) = readData(s, product, sizeKnown: length is not null || gzipSize is not null);
        if (got < product)
            throw new InvalidDataException($"{path}: truncated: expected {product} data bytes ({shape}) after the {header}-byte header, found {got}.");
        if (s.ReadByte() >= 0)
            throw new InvalidDataException($"{path}: expected {product} data bytes ({shape}) after the {header}-byte header, found more (trailing bytes).");
        return (dims, data);
    }
}
