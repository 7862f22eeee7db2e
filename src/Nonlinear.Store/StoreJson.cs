using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nonlinear.Store;

/// <summary>The JSON columns: string→string configurations and string→double metrics (NaN and ±∞ kept as names).</summary>
internal static class StoreJson
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static Dictionary<string, string> Strings(string? json, string what) => Read<Dictionary<string, string>>(json, what);
    public static Dictionary<string, double> Numbers(string? json, string what) => Read<Dictionary<string, double>>(json, what);

    private static T Read<T>(string? json, string what) where T : new()
    {
        if (string.IsNullOrEmpty(json)) return new T();
        try { return JsonSerializer.Deserialize<T>(json, Options) ?? new T(); }
        catch (JsonException e) { throw new InvalidDataException($"store: {what} is not valid JSON ({e.Message}).", e); }
    }
}
