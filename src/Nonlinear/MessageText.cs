namespace Nonlinear;

/// <summary>
/// Keeps error messages one readable line whatever the input holds: names from a file are quoted and cut to
/// a bounded length, and lists of names show the first few then "and K more". A header listing 400,000
/// unexpected tensors must not become a 3.5 MB error line.
/// </summary>
public static class MessageText
{
    /// <summary>Longest quoted value shown in full.</summary>
    public const int MaxQuoted = 80;
    /// <summary>Most list items shown.</summary>
    public const int MaxListed = 10;

    /// <summary><paramref name="value"/> in single quotes, cut to <see cref="MaxQuoted"/> characters ("…(N chars)" marks a cut).</summary>
    public static string Quote(string? value)
    {
        if (value is null) return "null";
        return value.Length <= MaxQuoted ? $"'{value}'" : $"'{value[..MaxQuoted]}…' ({value.Length} characters)";
    }

    /// <summary><paramref name="value"/> cut to <see cref="MaxQuoted"/> characters, without quotes (for numbers and raw JSON).</summary>
    public static string Cut(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxQuoted ? value : value[..MaxQuoted] + "…";
    }

    /// <summary>The first <see cref="MaxListed"/> items, comma-separated (each cut as by <see cref="Quote"/>, without quotes), then "and K more".</summary>
    public static string List(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var shown = new List<string>();
        int total = 0;
        foreach (string item in items)
        {
            if (total++ < MaxListed) shown.Add(Cut(item));
        }
        string text = string.Join(", ", shown);
        return total > MaxListed ? $"{text} and {total - MaxListed} more" : text;
    }

    /// <summary>
    /// The message of <paramref name="e"/> without ArgumentException's " (Parameter 'name')" suffix, for wrapping an inner
    /// validation error into an outer one-line message that names its own argument.
    /// </summary>
    internal static string WithoutParameter(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
