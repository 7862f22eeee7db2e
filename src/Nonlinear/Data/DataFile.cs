using System.IO.Compression;

namespace Nonlinear.Data;

/// <summary>Opens data files, decompressing gzip when the file starts with the gzip magic bytes 1f 8b (whatever its name).</summary>
public static class DataFile
{
    /// <summary>True when <paramref name="path"/> begins with the gzip magic 1f 8b.</summary>
    public static bool IsGzip(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
        Span<byte> magic = stackalloc byte[2];
        return fs.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>
    /// A read stream on the (decompressed) content of <paramref name="path"/>. <paramref name="length"/> is the
    /// content length when known without reading (plain files), null for gzip.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Stream OpenRead(string path, out long? length)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        bool gz = IsGzip(path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (!gz)
        {
            length = fs.Length;
            return fs;
        }
        length = null;
        return new BufferedStream(new GZipStream(fs, CompressionMode.Decompress), 1 << 16);
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes, growing the buffer as data arrives so that a corrupt
    /// length field cannot make us allocate more than the stream really holds (plus one chunk).
    /// Returns fewer bytes only when the stream ends early.
    /// </summary>
    internal static byte[] ReadUpTo(Stream stream, long count, out long got)
    {
        const int Chunk = 1 << 24;
        var buffer = new byte[Math.Min(count, Chunk)];
        long filled = 0;
        while (filled < count)
        {
            if (filled == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(count, Math.Max((long)buffer.Length * 2, Chunk)));
            int n = stream.Read(buffer, (int)filled, (int)Math.Min(buffer.Length - filled, int.MaxValue));
            if (n == 0) break;
            filled += n;
        }
        got = filled;
        return buffer;
    }
}
