using System.Buffers.Binary;
using Nonlinear.Tensors;

namespace Nonlinear.IO;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
/// little-endian header length N, N bytes of UTF-8 JSON
/// <c>{"__metadata__":{"k":"v"},"name":{"dtype":"F32","shape":[...],"data_offsets":[begin,end]}}</c>
/// padded with spaces to a multiple of 8, then the little-endian tensor data, offsets relative to the start
/// of the data section. Equivalent to <c>safetensors.torch.save_file</c>/<c>load_file</c> for float32.
/// </summary>
public static class SafeTensors
{
    /// <summary>Largest header accepted on read (the reference implementation uses the same 100 MB bound).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Writes <paramref name="tensors"/> (as F32, in enumeration order) and <paramref name="metadata"/> to
    /// <paramref name="path"/> atomically: a failure at any point leaves an existing file untouched.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        AtomicFile.Write(path, s => Save(s, tensors, metadata));
    }

    /// <summary>Writes the safetensors bytes to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">A name is empty or "__metadata__".</exception>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = new List<SafeTensorsEntry>();
        var data = new List<Tensor>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == SafeTensorsHeader.MetadataKey)
                throw new ArgumentException($"tensor name '{name}' is reserved or empty; expected a non-empty name other than __metadata__.", nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor, $"tensors['{name}']");
            long bytes = 4L * tensor.Length;
            entries.Add(new SafeTensorsEntry(name, "F32", tensor.Shape.ToArray(), offset, offset + bytes));
            data.Add(tensor);
            offset += bytes;
        }
        byte[] header = SafeTensorsHeader.Build(entries, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        var chunk = new byte[1 << 16];
        foreach (var t in data)
        {
            float[] values = t.IsContiguous ? [] : t.ToArray();
            ReadOnlySpan<float> src = t.IsContiguous ? t.AsReadOnlySpan() : values;
            while (!src.IsEmpty)
            {
                int n = Math.Min(src.Length, chunk.Length / 4);
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(4 * i), src[i]);
                stream.Write(chunk, 0, 4 * n);
                src = src[n..];
            }
        }
        stream.Flush();
    }

    /// <summary>Reads every tensor (converted to float32) and the metadata from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The path is not a regular file (a directory, device or FIFO), or the file is truncated, its header is corrupt or inconsistent, or it has trailing bytes; the message names the file and the defect.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RegularFile.Require(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Load(fs, path);
    }

    /// <summary>
    /// Reads a safetensors stream; <paramref name="name"/> labels error messages. A stream that cannot seek
    /// (a pipe) is read with buffers that grow as data arrives, so its header's claims cost nothing until the
    /// bytes are really there.
    /// </summary>
    /// <exception cref="InvalidDataException">See <see cref="Load(string)"/>.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(Stream stream, string name = "<stream>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        long? length = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;
        Span<byte> prefix = stackalloc byte[8];
        int got = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        if (got < 8)
            throw SafeTensorsHeader.Bad(name, $"truncated file: expected an 8-byte header length, found {got} bytes");
        // A device such as /dev/zero seeks but reports length 0 and still yields bytes: its length means nothing.
        if (length < 8) length = null;
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderBytes)
            throw SafeTensorsHeader.Bad(name, $"corrupt header: header length {n} exceeds the {MaxHeaderBytes}-byte limit");
        if (length is long len && (long)n > len - 8)
            throw SafeTensorsHeader.Bad(name, $"truncated file: header length is {n} bytes but only {len - 8} bytes follow the 8-byte length");
        byte[] json = GrowingRead.ReadUpTo(stream, (long)n, out long read);
        if (read < (long)n)
            throw SafeTensorsHeader.Bad(name, $"truncated file: header length is {n} bytes but only {read} bytes follow the 8-byte length");
        var header = json.AsSpan(0, (int)n);
        if (header.IsEmpty || header[0] != (byte)'{')
            throw SafeTensorsHeader.Bad(name, "corrupt header: it does not start with '{'");

        // Without a length (pipes) the data size is unknown; the layout check then only runs on the tensors' own ends.
        long? sectionLength = length is long l ? l - 8 - (long)n : null;
        var (entries, metadata) = SafeTensorsHeader.Parse(header, sectionLength, name);
        long dataLength = sectionLength ?? (entries.Count == 0 ? 0 : entries.Max(e => e.End));

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var buffer = new byte[1 << 16];
        // The layout check guarantees the entries tile the data section, so reading in offset order is sequential.
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            // With a known length the header was checked against it, so the sizes are real; without one,
            // allocate only for bytes that have arrived.
            float[] values = sectionLength is null ? ReadGrowing(stream, e, name) : ReadKnown(stream, e, buffer, name);
            tensors[e.Name] = Tensor.FromArray(values, e.Shape);
        }
        if (stream.ReadByte() >= 0)
            throw SafeTensorsHeader.Bad(name, $"trailing garbage: bytes follow the last tensor at data offset {dataLength}");
        // Return in header order, which is the order the writer used.
        var ordered = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var e in entries) ordered[e.Name] = tensors[e.Name];
        return (ordered, metadata);
    }

    private static float[] ReadGrowing(Stream stream, SafeTensorsEntry e, string file)
    {
        byte[] bytes = GrowingRead.ReadUpTo(stream, e.ByteLength, out long got);
        if (got < e.ByteLength)
            throw SafeTensorsHeader.Bad(file, $"truncated file: tensor '{e.Name}' needs data bytes [{e.Begin}, {e.End}) but the file ends at data offset {e.Begin + got}");
        var values = new float[e.ByteLength / SafeTensorsHeader.DTypeSize(e.DType)];
        Convert(e.DType, bytes.AsSpan(0, (int)e.ByteLength), values);
        return values;
    }

    private static float[] ReadKnown(Stream stream, SafeTensorsEntry e, byte[] buffer, string file)
    {
        var values = new float[e.ByteLength / SafeTensorsHeader.DTypeSize(e.DType)];
        ReadData(stream, e, values, buffer, file);
        return values;
    }

    private static void ReadData(Stream stream, SafeTensorsEntry e, float[] values, byte[] buffer, string file)
    {
        int size = SafeTensorsHeader.DTypeSize(e.DType);
        int perChunk = buffer.Length / size, done = 0;
        while (done < values.Length)
        {
            int count = Math.Min(perChunk, values.Length - done);
            int bytes = count * size;
            int got = stream.ReadAtLeast(buffer.AsSpan(0, bytes), bytes, throwOnEndOfStream: false);
            if (got < bytes)
                throw SafeTensorsHeader.Bad(file, $"truncated file: tensor '{e.Name}' needs data bytes [{e.Begin}, {e.End}) but the file ends at data offset {e.Begin + (long)done * size + got}");
            Convert(e.DType, buffer.AsSpan(0, bytes), values.AsSpan(done, count));
            done += count;
        }
    }

    private static void Convert(string dtype, ReadOnlySpan<byte> src, Span<float> dst)
    {
        if (dtype == "F32" && BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(src).CopyTo(dst);
            return;
        }
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(src[(2 * i)..]),
                // bfloat16 is the top half of a float32.
                "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) << 16),
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(src[(8 * i)..]),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(src[(4 * i)..]),
                "I16" => BinaryPrimitives.ReadInt16LittleEndian(src[(2 * i)..]),
                "I8" => (sbyte)src[i],
                "U8" => src[i],
                "BOOL" => src[i] != 0 ? 1f : 0f,
                _ => throw new InvalidOperationException($"dtype {dtype} passed validation but has no converter."),
            };
        }
    }
}
