namespace Nonlinear.Activations;

/// <summary>
/// "Did you mean": the known names closest to a misspelt one by edit distance. The one suggester for activation
/// names of both kinds (catalog entries and learnable units) and for model kinds.
/// </summary>
internal static class NameSuggester
{
    /// <summary>Up to <paramref name="take"/> of <paramref name="known"/> closest to <paramref name="name"/> (case-insensitive), closest first, ties in the given order.</summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> known, int take = 3)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(known);
        // Bounded so a pasted megabyte costs nothing: no known name is anywhere near this long.
        string n = name.Trim().ToLowerInvariant();
        if (n.Length > 64) n = n[..64];
        return known.Select((k, i) => (k, i, d: Levenshtein(k.ToLowerInvariant(), n))).OrderBy(t => t.d).ThenBy(t => t.i)
            .Take(take).Select(t => t.k).ToArray();
    }

    /// <summary>"unknown {what} 'x'; did you mean a, b, c? ({hint})".</summary>
    public static string Message(string what, string name, IEnumerable<string> known, string hint) =>
        $"unknown {what} '{name}'; did you mean {string.Join(", ", Closest(name, known))}? ({hint})";

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
