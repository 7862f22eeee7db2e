namespace Nonlinear.Layers;

/// <summary>The known names nearest to a mistyped dotted name, for "did you mean" in errors.</summary>
internal static class CloseNames
{
    /// <summary>
    /// Up to <paramref name="count"/> candidates, ranked by the longest shared dotted prefix, then by the length of
    /// the shared character prefix, then by the difference in length: "layers.7" points at "layers.0", "layers.1" ….
    /// </summary>
    public static IEnumerable<string> Nearest(string wanted, IEnumerable<string> known, int count = 5) =>
        known.Where(k => k.Length > 0)
             .OrderByDescending(k => SharedSegments(k, wanted))
             .ThenByDescending(k => SharedChars(k, wanted))
             .ThenBy(k => Math.Abs(k.Length - wanted.Length))
             .Take(count);

    private static int SharedSegments(string a, string b)
    {
        var sa = a.Split('.');
        var sb = b.Split('.');
        int n = 0;
        while (n < sa.Length && n < sb.Length && sa[n] == sb[n]) n++;
        return n;
    }

    private static int SharedChars(string a, string b)
    {
        int n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
        return n;
    }
}
