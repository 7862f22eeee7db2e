namespace Nonlinear.Data;

/// <summary>
/// Checks a gzip file's trailer when its decompressed content has been read to the end. .NET's GZipStream
/// does not: a file cut anywhere — even halfway through the deflate data — decompresses to a shorter
/// content without an error (measured on .NET 10), so a truncated download would silently be a smaller
/// data set. The trailer (RFC 1952 §2.3.1) holds the CRC-32 and the length mod 2³² of the content; both must
/// match what came out. A multi-member file (<c>cat a.gz b.gz</c>) has the last member's trailer and is
/// refused with a message that says so.
/// </summary>
internal sealed class GzipCheckedStream(Stream inner, string path, uint expectedCrc, uint expectedSize) : Stream
{
    private static readonly uint[] Table = BuildTable();
    private uint _crc = 0xFFFFFFFF;
    private long _count;
    private bool _checked;

    /// <summary>Reads the 8-byte trailer of the gzip file <paramref name="file"/> and rewinds it.</summary>
    /// <exception cref="InvalidDataException">The file is too short to be gzip.</exception>
    internal static (uint Crc, uint Size) ReadTrailer(FileStream file, string path)
    {
        // 10-byte header, at least 2 bytes of deflate data (an empty final block), 8-byte trailer.
        if (file.Length < 20)
            throw new InvalidDataException($"{path}: truncated gzip file: {file.Length} bytes, fewer than the 20 of the smallest gzip file.");
        Span<byte> t = stackalloc byte[8];
        file.Seek(-8, SeekOrigin.End);
        file.ReadExactly(t);
        file.Seek(0, SeekOrigin.Begin);
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(t),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(t[4..]));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        if (n > 0)
        {
            uint c = _crc;
            foreach (byte b in buffer[..n]) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
            _crc = c;
            _count += n;
        }
        else if (buffer.Length > 0 && !_checked)
        {
            _checked = true;
            uint crc = ~_crc, size = (uint)_count;
            if (crc != expectedCrc || size != expectedSize)
                throw new InvalidDataException($"{path}: truncated or corrupt gzip file: the trailer records {expectedSize} bytes (mod 2^32) with CRC-32 " +
                    $"{expectedCrc:x8}, but the data decompressed to {_count} bytes with CRC-32 {crc:x8}. A multi-member gzip file (cat a.gz b.gz) " +
                    "is not supported either; recompress it as one.");
        }
        return n;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;   // reflected IEEE polynomial
            table[i] = c;
        }
        return table;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _count; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
