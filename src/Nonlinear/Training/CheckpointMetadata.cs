using System.Globalization;

namespace Nonlinear.Training;

/// <summary>
/// Typed, bounded reads of a checkpoint's metadata strings. A value that is missing, malformed or out of range is
/// corrupt file content, so every failure is an <see cref="InvalidDataException"/> "PATH: corrupt checkpoint: KEY …"
/// naming the key, the stored value and the expected range — never an option the user did not type, never an
/// overflow trace.
/// </summary>
public sealed class CheckpointMetadata
{
    private readonly IReadOnlyDictionary<string, string> _meta;

    /// <summary>Reads <paramref name="metadata"/> of the checkpoint at <paramref name="path"/> (named in errors).</summary>
    public CheckpointMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        _meta = metadata;
        Path = path;
    }

    /// <summary>The checkpoint's path, as named in error messages.</summary>
    public string Path { get; }

    /// <summary>The string stored under <paramref name="key"/>.</summary>
    /// <exception cref="InvalidDataException">The key is missing.</exception>
    public string String(string key) => _meta.TryGetValue(key, out var v) ? v : throw Corrupt(key, "is missing");

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>] (digits only: no sign, no exponent).</summary>
    public int Int(string key, int min, int max)
    {
        string v = String(key);
        if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw Corrupt(key, $"is '{Clip(v)}'; expected an integer in [{min}, {max}]");
        return n;
    }

    /// <summary>An unsigned 64-bit integer (digits only).</summary>
    public ulong UInt64(string key)
    {
        string v = String(key);
        return ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) ? n
            : throw Corrupt(key, $"is '{Clip(v)}'; expected an integer in [0, {ulong.MaxValue}]");
    }

    /// <summary>A finite float32 in [<paramref name="min"/>, <paramref name="max"/>] (or [min, max) when <paramref name="maxExclusive"/>).</summary>
    public float Float(string key, float min, float max, bool maxExclusive = false)
    {
        string v = String(key);
        if (!float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) || !float.IsFinite(f)
            || f < min || f > max || (maxExclusive && f == max))
            throw Corrupt(key, $"is '{Clip(v)}'; expected a number in [{F(min)}, {F(max)}{(maxExclusive ? ")" : "]")}");
        return f;
    }

    /// <summary>A positive finite float32 (a learning rate).</summary>
    public float Positive(string key)
    {
        string v = String(key);
        if (!float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) || !float.IsFinite(f) || !(f > 0))
            throw Corrupt(key, $"is '{Clip(v)}'; expected a positive finite number");
        return f;
    }

    /// <summary>One of the optimiser names <see cref="OptimizerKinds.Names"/> (exactly, lower case).</summary>
    public OptimizerKind Optimizer(string key) =>
        OptimizerKinds.TryParse(String(key), out var kind) ? kind
            : throw Corrupt(key, $"is '{Clip(String(key))}'; expected {OptimizerKinds.Expected}");

    /// <summary>"PATH: corrupt checkpoint: KEY WHAT."</summary>
    public InvalidDataException Corrupt(string key, string what) => new($"{Path}: corrupt checkpoint: {key} {what}.");

    private static string F(float v) => v.ToString(CultureInfo.InvariantCulture);

    // A corrupt value can be megabytes long; the message shows its start.
    private static string Clip(string v) => v.Length <= 40 ? v : v[..40] + "…";
}
