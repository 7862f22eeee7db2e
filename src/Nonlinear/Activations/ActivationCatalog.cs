using System.Globalization;

namespace Nonlinear.Activations;

/// <summary>
/// Every activation by name. Lookup is case-insensitive over names and aliases; <see cref="Parse"/> reads
/// "leaky_relu", "leaky_relu(0.2)" or "elu(alpha=0.5)". Generic tests iterate <see cref="All"/>.
/// </summary>
public static class ActivationCatalog
{
    private static readonly ActivationEntry[] Entries = CatalogEntries.All();
    private static readonly Dictionary<string, ActivationEntry> ByName = Index(Entries);

    /// <summary>All entries in catalog order.</summary>
    public static IReadOnlyList<ActivationEntry> All => Entries;

    // Internal so a test can feed it a duplicate: a name or alias declared twice fails the type initializer, never silently shadows.
    internal static Dictionary<string, ActivationEntry> Index(ActivationEntry[] entries)
    {
        var d = new Dictionary<string, ActivationEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries)
            foreach (var name in e.Info.Aliases.Prepend(e.Info.Name))
                if (!d.TryAdd(name, e))
                    throw new InvalidOperationException($"activation name '{name}' is declared twice ({d[name].Info.Name} and {e.Info.Name}).");
        return d;
    }

    /// <summary>Finds an entry by name or alias.</summary>
    public static bool TryGet(string name, out ActivationEntry entry) => ByName.TryGetValue(name.Trim(), out entry!);

    /// <summary>Finds an entry by name or alias.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message suggests the closest known names.</exception>
    public static ActivationEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGet(name, out var e)) return e;
        var close = ByName.Keys.OrderBy(k => Levenshtein(k.ToLowerInvariant(), name.Trim().ToLowerInvariant())).Take(3);
        throw new InvalidInputException($"unknown activation '{name}'; did you mean {string.Join(", ", close)}? ('nonlinear activations list' shows all {Entries.Length}).", nameof(name));
    }

    /// <summary>Parses "name", "name(v1, v2)" or "name(param=v, …)" into a bound activation.</summary>
    /// <exception cref="ArgumentException">Unknown name, unknown parameter, malformed number, or value out of range.</exception>
    public static Activation Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec = spec.Trim();
        int open = spec.IndexOf('(');
        if (open < 0) return Get(spec).Create();
        if (!spec.EndsWith(')'))
            throw new InvalidInputException($"activation '{spec}': expected name(value, …) with a closing parenthesis.", nameof(spec));
        var entry = Get(spec[..open]);
        var ps = entry.Info.Parameters;
        var values = ps.Select(p => p.Default).ToArray();
        string inner = spec[(open + 1)..^1].Trim();
        if (inner.Length == 0) return entry.Create(values);
        var args = inner.Split(',');
        if (args.Length > ps.Count)
            throw new InvalidInputException($"activation '{spec}': {entry.Info.Name} takes {ps.Count} parameter(s) ({string.Join(", ", ps.Select(p => p.Name))}); got {args.Length}.", nameof(spec));
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i].Trim();
            int index = i;
            int eq = a.IndexOf('=');
            if (eq >= 0)
            {
                string key = a[..eq].Trim();
                index = ps.Select((p, j) => (p, j)).FirstOrDefault(t => t.p.Name.Equals(key, StringComparison.OrdinalIgnoreCase), (null!, -1)).Item2;
                if (index < 0)
                    throw new InvalidInputException($"activation '{spec}': {entry.Info.Name} has no parameter '{key}' (it has: {(ps.Count == 0 ? "none" : string.Join(", ", ps.Select(p => p.Name)))}).", nameof(spec));
                a = a[(eq + 1)..].Trim();
            }
            if (!double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out values[index]))
                throw new InvalidInputException($"activation '{spec}': '{a}' is not a number (parameter {ps[index].Name}).", nameof(spec));
        }
        return entry.Create(values);
    }

    /// <summary>The distinct families in catalog order (e.g. "identity", "relu", "sigmoid", …).</summary>
    public static IReadOnlyList<string> Families { get; } = Entries.Select(e => e.Info.Family).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The property names accepted by <see cref="ParseProperty"/>, lower case: "monotonic", "smooth", ….</summary>
    public static IReadOnlyList<string> PropertyNames { get; } =
        Enum.GetNames<ActivationProperties>().Where(n => n != nameof(ActivationProperties.None)).Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>Reads one property name (case-insensitive; "zero_centred" and "zero-centred" accepted for ZeroCentred).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static ActivationProperties ParseProperty(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().Replace("_", "").Replace("-", "");
        if (key.Length > 0 && !char.IsDigit(key[0]) && Enum.TryParse<ActivationProperties>(key, ignoreCase: true, out var p) && p != ActivationProperties.None
            && Enum.IsDefined(p))
            return p;
        throw new InvalidInputException($"unknown property '{name}'; expected one of {string.Join(", ", PropertyNames)}.", nameof(name));
    }

    /// <summary>
    /// Entries whose family equals <paramref name="family"/> (case-insensitive; all when null) and that have every property in
    /// <paramref name="properties"/>, in catalog order.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="family"/> is not a family of the catalog; the message lists them.</exception>
    public static IEnumerable<ActivationEntry> Filter(string? family = null, ActivationProperties properties = ActivationProperties.None)
    {
        if (family is not null && !Families.Contains(family.Trim(), StringComparer.OrdinalIgnoreCase))
            throw new InvalidInputException($"unknown family '{family}'; expected one of {string.Join(", ", Families)}.", nameof(family));
        return Entries.Where(e => (family is null || e.Info.Family.Equals(family.Trim(), StringComparison.OrdinalIgnoreCase))
                                  && (e.Info.Properties & properties) == properties);
    }

    /// <summary>
    /// Reads a comma-separated list of activation specs such as "relu, elu(alpha=0.5), leaky_relu(0.2)": commas inside
    /// parentheses belong to the parameters. Each item goes through <see cref="Parse"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An empty item, unbalanced parentheses, or an item <see cref="Parse"/> rejects.</exception>
    public static IReadOnlyList<Activation> ParseList(string specs) => SplitList(specs).Select(Parse).ToArray();

    /// <summary>Splits "relu, elu(alpha=0.5), foo(1, 2)" at the commas outside parentheses, trimming each item (no lookup).</summary>
    /// <exception cref="ArgumentException">An empty item or unbalanced parentheses.</exception>
    public static IReadOnlyList<string> SplitList(string specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var items = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i <= specs.Length; i++)
        {
            char c = i < specs.Length ? specs[i] : ',';
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) break;
            else if (c == ',' && depth == 0)
            {
                items.Add(specs[start..i].Trim());
                start = i + 1;
            }
        }
        if (depth != 0)
            throw new InvalidInputException($"activation list '{specs}': unbalanced parentheses.", nameof(specs));
        if (items.Any(string.IsNullOrEmpty))
            throw new InvalidInputException($"activation list '{specs}': empty item; expected names separated by commas, e.g. relu,gelu,elu(alpha=0.5).", nameof(specs));
        return items;
    }

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
