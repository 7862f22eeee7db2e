using System.IO.Compression;
using Nonlinear.IO;

namespace Nonlinear.Data;

/// <summary>
/// Opens data files, decompressing gzip when the file starts with the gzip magic bytes 1f 8b (whatever its
/// name) and checking its trailer at the end of the content. Paths that are not regular files (directories,
/// devices such as <c>/dev/zero</c>, FIFOs) are refused before anything is read.
/// </summary>
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
    /// content length when known without reading (plain files), null for gzip. Reading a gzip file to its end
    /// throws <see cref="InvalidDataException"/> if the content does not match the trailer (truncated file).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The path is not a regular file, or a gzip file is too short to hold a trailer.</exception>
    public static Stream OpenRead(string path, out long? length) => OpenRead(path, out length, out _);

    /// <summary>As <see cref="OpenRead(string, out long?)"/>; <paramref name="gzipSize"/> is the content length mod 2³² the gzip trailer claims (null for plain files), unverified until the end is read.</summary>
    internal static Stream OpenRead(string path, out long? length, out uint? gzipSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RegularFile.Require(path);
        bool gz = IsGzip(path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (!gz)
        {
            length = fs.Length;
            gzipSize = null;
            return fs;
        }
        try
        {
            var (crc, size) = GzipCheckedStream.ReadTrailer(fs, path);
            length = null;
            gzipSize = size;
            return new BufferedStream(new GzipCheckedStream(new GZipStream(fs, CompressionMode.Decompress), path, crc, size), 1 << 16);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }
}
