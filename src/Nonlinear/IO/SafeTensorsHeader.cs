using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nonlinear.IO;

/// <summary>One tensor's entry in a safetensors header; offsets are relative to the start of the data section.</summary>
internal readonly record struct SafeTensorsEntry(string Name, string DType, int[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}

/// <summary>
/// Parses and builds the JSON header of a safetensors file, checking everything that can be checked
/// before the data is touched: well-formed JSON, known dtypes, shape × dtype size = offset span,
/// offsets that tile the data section exactly (no gaps, overlaps, or bytes past the last tensor).
/// </summary>
internal static class SafeTensorsHeader
{
    internal const string MetadataKey = "__metadata__";

    /// <summary>Bytes per element of each dtype we can read (all converted to float32).</summary>
    internal static int DTypeSize(string dtype) => dtype switch
    {
        "F64" or "I64" => 8,
        "F32" or "I32" => 4,
        "F16" or "BF16" or "I16" => 2,
        "U8" or "I8" or "BOOL" => 1,
        _ => 0,
    };

    internal static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(
        ReadOnlySpan<byte> json, long? dataLength, string file)
    {
        // The format requires UTF-8; checking up front turns a transcoding exception deep in System.Text.Json
        // into a message that says where the bad byte is.
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw Bad(file, $"corrupt header: it is not valid UTF-8 (first invalid byte at header offset {FirstInvalidUtf8(json)})");
        JsonDocument doc;
        try
        {
            // Copied because JsonDocument keeps the buffer alive; headers are bounded by the caller.
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Bad(file, $"corrupt header: the JSON is malformed ({e.Message})");
        }
        using (doc)
        {
            try { return Read(doc, dataLength, file); }
            catch (InvalidOperationException e)
            {
                // Well-formed JSON whose strings do not transcode (an escaped lone surrogate such as "\ud800").
                throw Bad(file, $"corrupt header: {e.Message.TrimEnd('.')}");
            }
        }
    }

    private static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata) Read(JsonDocument doc, long? dataLength, string file)
    {
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw Bad(file, $"corrupt header: expected a JSON object, found {doc.RootElement.ValueKind}");
        var entries = new List<SafeTensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            // The reference implementation fails on a repeated tensor name too (as InvalidOffset, since its map keeps one).
            if (!seen.Add(prop.Name)) throw Bad(file, $"corrupt header: key {MessageText.Quote(prop.Name)} appears twice");
            if (prop.Name == MetadataKey) ReadMetadata(prop.Value, metadata, file);
            else entries.Add(ReadEntry(prop.Name, prop.Value, file));
        }
        CheckLayout(entries, dataLength, file);
        return (entries, metadata);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string file)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(file, $"corrupt header: __metadata__ must be an object of strings, found {value.ValueKind}");
        foreach (var kv in value.EnumerateObject())
        {
            if (kv.Value.ValueKind != JsonValueKind.String)
                throw Bad(file, $"corrupt header: __metadata__[{MessageText.Quote(kv.Name)}] must be a string, found {kv.Value.ValueKind}");
            if (!metadata.TryAdd(kv.Name, kv.Value.GetString()!))
                throw Bad(file, $"corrupt header: __metadata__ key {MessageText.Quote(kv.Name)} appears twice");
        }
    }

    private static SafeTensorsEntry ReadEntry(string name, JsonElement value, string file)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} must be an object, found {value.ValueKind}");
        string? dtype = null; int[]? shape = null; long[]? offsets = null;
        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in value.EnumerateObject())
        {
            // serde (the reference reader) rejects a repeated field ("duplicate field `dtype`"); last-wins would
            // let two readers of one file disagree about its content.
            if (!fields.Add(f.Name))
                throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} has field {MessageText.Quote(f.Name)} twice");
            switch (f.Name)
            {
                case "dtype":
                    if (f.Value.ValueKind != JsonValueKind.String)
                        throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} dtype must be a string, found {f.Value.ValueKind}");
                    dtype = f.Value.GetString()!;
                    break;
                case "shape":
                    shape = ReadInts(f.Value, name, "shape", int.MaxValue, file).Select(v => (int)v).ToArray();
                    break;
                case "data_offsets":
                    offsets = ReadInts(f.Value, name, "data_offsets", long.MaxValue, file);
                    if (offsets.Length != 2)
                        throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} data_offsets must have 2 numbers, found {offsets.Length}");
                    break;
                default:
                    throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} has unknown field {MessageText.Quote(f.Name)}");
            }
        }
        if (dtype is null || shape is null || offsets is null)
            throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} lacks {(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}");
        int size = DTypeSize(dtype);
        if (size == 0)
            throw Bad(file, $"unsupported dtype {MessageText.Quote(dtype)} for tensor {MessageText.Quote(name)} (readable: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        if (offsets[1] < offsets[0])
            throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} data_offsets [{offsets[0]}, {offsets[1]}] end before they begin");
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > Array.MaxLength)
                throw Bad(file, $"tensor {MessageText.Quote(name)} shape [{string.Join(", ", shape)}] has more than {Array.MaxLength} elements");
        }
        long span = offsets[1] - offsets[0];
        if (count * size != span)
            throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} is {dtype} [{string.Join(", ", shape)}] = {count * size} bytes but its data_offsets span {span} bytes");
        return new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadInts(JsonElement value, string name, string field, long max, string file)
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} {field} must be an array, found {value.ValueKind}");
        int n = value.GetArrayLength();
        if (n > 64) throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} {field} has {n} entries; at most 64 allowed");
        var result = new long[n];
        int i = 0;
        foreach (var e in value.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v) || v < 0 || v > max)
                throw Bad(file, $"corrupt header: tensor {MessageText.Quote(name)} {field}[{i}] = {MessageText.Cut(e.GetRawText())} is not an integer in [0, {max}]");
            result[i++] = v;
        }
        return result;
    }

    /// <summary>The tensors must tile [0, dataLength) exactly, in some order (a null length, for a pipe, is checked by the reader instead).</summary>
    private static void CheckLayout(List<SafeTensorsEntry> entries, long? dataLength, string file)
    {
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long expected = 0;
        string previous = "the start of the data section";
        foreach (var e in sorted)
        {
            if (e.Begin < expected)
                throw Bad(file, $"corrupt header: tensor {MessageText.Quote(e.Name)} data_offsets [{e.Begin}, {e.End}] overlap {previous} ending at {expected}");
            if (e.Begin > expected)
                throw Bad(file, $"corrupt header: gap in the data section: tensor {MessageText.Quote(e.Name)} begins at {e.Begin} but {previous} ends at {expected}");
            if (dataLength is long d && e.End > d)
                throw Bad(file, $"truncated file: tensor {MessageText.Quote(e.Name)} needs data bytes [{e.Begin}, {e.End}) but the data section has {dataLength} bytes");
            expected = e.End;
            previous = $"tensor {MessageText.Quote(e.Name)}";
        }
        if (dataLength is long total && expected != total)
            throw Bad(file, $"trailing garbage: the data section has {total} bytes but the tensors end at {expected}");
    }

    /// <summary>The header bytes (compact JSON, metadata first as the reference implementation writes it), padded with spaces to a multiple of 8.</summary>
    internal static byte[] Build(IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps non-ASCII names as raw UTF-8, as serde_json does.
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var kv in metadata) w.WriteString(kv.Key, kv.Value);
                w.WriteEndObject();
            }
            foreach (var e in entries)
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", e.DType);
                w.WriteStartArray("shape");
                foreach (int d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int n = buffer.WrittenCount, padded = (n + 7) & ~7;
        var result = new byte[padded];
        buffer.WrittenSpan.CopyTo(result);
        result.AsSpan(n).Fill((byte)' ');
        return result;
    }

    internal static InvalidDataException Bad(string file, string defect) => new($"{file}: {defect}.");

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out int used) != OperationStatus.Done) return i;
            i += used;
        }
        return i;
    }
}
