using System.Text;
using System.Text.Json;

namespace Nonlinear.Interpret.Capture;

/// <summary>One captured module in a shard set: its name, units per row and rows per input.</summary>
public sealed record ShardLayer(string Name, int Units, int RowsPerInput);

/// <summary>
/// The <c>index.json</c> of a shard set, written last (atomically) so that a set whose capture did not finish has no
/// index and is refused: <c>{"format":"nonlinear-activations/1","inputs":N,"layers":[{"name","units","rows_per_input"}],
/// "shards":[{"file","first_input","inputs"}]}</c>.
/// </summary>
public sealed record ShardIndex(int Inputs, IReadOnlyList<ShardLayer> Layers, IReadOnlyList<ShardIndex.Shard> Shards)
{
    /// <summary>The format tag.</summary>
    public const string Format = "nonlinear-activations/1";

    /// <summary>One shard file: inputs [FirstInput, FirstInput + Inputs).</summary>
    public sealed record Shard(string File, int FirstInput, int Inputs);

    internal string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteNumber("inputs", Inputs);
            w.WriteStartArray("layers");
            foreach (var l in Layers)
            {
                w.WriteStartObject();
                w.WriteString("name", l.Name);
                w.WriteNumber("units", l.Units);
                w.WriteNumber("rows_per_input", l.RowsPerInput);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("shards");
            foreach (var s in Shards)
            {
                w.WriteStartObject();
                w.WriteString("file", s.File);
                w.WriteNumber("first_input", s.FirstInput);
                w.WriteNumber("inputs", s.Inputs);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    // Every field is bounded and cross-checked, so a damaged index fails here and not as an out-of-range read later.
    internal static ShardIndex Parse(string json, string path)
    {
        InvalidDataException Bad(string what) => new($"{path}: corrupt activation index: {what}.");
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.GetProperty("format").GetString() != Format) throw Bad($"format is not {Format}");
            int inputs = root.GetProperty("inputs").GetInt32();
            if (inputs < 0) throw Bad($"inputs = {inputs}");
            var layers = root.GetProperty("layers").EnumerateArray().Select(l => new ShardLayer(
                l.GetProperty("name").GetString() ?? throw Bad("a layer without a name"),
                l.GetProperty("units").GetInt32(), l.GetProperty("rows_per_input").GetInt32())).ToList();
            if (layers.Count == 0) throw Bad("no layers");
            foreach (var l in layers)
                if (l.Name.Length == 0 || l.Units < 0 || l.RowsPerInput < 1) throw Bad($"layer '{l.Name}' has units {l.Units}, rows_per_input {l.RowsPerInput}");
            var shards = root.GetProperty("shards").EnumerateArray().Select(s => new Shard(
                s.GetProperty("file").GetString() ?? "", s.GetProperty("first_input").GetInt32(), s.GetProperty("inputs").GetInt32())).ToList();
            int next = 0;
            foreach (var s in shards)
            {
                // Shards are files beside the index, never a path elsewhere.
                if (s.File.Length == 0 || s.File != Path.GetFileName(s.File) || s.File.StartsWith('.')) throw Bad($"shard file name '{s.File}'");
                if (s.FirstInput != next || s.Inputs < 1) throw Bad($"shard {s.File} covers inputs from {s.FirstInput} (count {s.Inputs}); expected from {next}");
                next += s.Inputs;
            }
            if (next != inputs) throw Bad($"shards hold {next} inputs; the index says {inputs}");
            return new ShardIndex(inputs, layers, shards);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Bad(e.Message.TrimEnd('.'));
        }
    }
}
