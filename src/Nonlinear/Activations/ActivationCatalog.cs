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
    /// <exception cref="InvalidInputException">Unknown name; the message suggests the closest known names.</exception>
    public static ActivationEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGet(name, out var e)) return e;
        throw new InvalidInputException(NameSuggester.Message("activation", name, ByName.Keys,
            $"'nonlinear activations list' shows all {Entries.Length}"), nameof(name));
    }

    /// <summary>
    /// Parses "name", "name(v1, v2)" or "name(param=v, …)" into a bound activation (see <see cref="SpecArguments"/>), or a formula
    /// of x such as "x*tanh(softplus(x))" or "x*sigmoid(b*x); b=1.5" (told apart as <see cref="Formula.FormulaText.IsFormula"/> says).
    /// </summary>
    /// <exception cref="InvalidInputException">Unknown name, unknown parameter, malformed number, or value out of range (or beyond float32); a malformed formula or one that fails its derivative check.</exception>
    public static Activation Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Formula.FormulaText.IsFormula(spec)) return Formula.FormulaActivation.Parse(spec);
        var (name, args) = SpecArguments.Split(spec);
        var entry = Get(name);
        var ps = entry.Info.Parameters.Select(SpecParameter.From).ToArray();
        var values = SpecArguments.Bind(spec, entry.Info.Name, ps, args);
        return entry.Create(values.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>The distinct families in catalog order (e.g. "identity", "relu", "sigmoid", …).</summary>
    public static IReadOnlyList<string> Families { get; } = Entries.Select(e => e.Info.Family).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The property names accepted by <see cref="ParseProperty"/>, lower case: "monotonic", "smooth", ….</summary>
    public static IReadOnlyList<string> PropertyNames { get; } =
        Enum.GetNames<ActivationProperties>().Where(n => n != nameof(ActivationProperties.None)).Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>Reads one property name (case-insensitive; "zero_centred" and "zero-centred" accepted for ZeroCentred).</summary>
    /// <exception cref="InvalidInputException">Unknown name; the message lists the valid ones.</exception>
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
    /// <exception cref="InvalidInputException"><paramref name="family"/> is not a family of the catalog; the message lists them.</exception>
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
    /// <exception cref="InvalidInputException">An empty item, unbalanced parentheses, or an item <see cref="Parse"/> rejects.</exception>
    public static IReadOnlyList<Activation> ParseList(string specs) => SplitList(specs).Select(Parse).ToArray();

    /// <summary>Splits "relu, elu(alpha=0.5), foo(1, 2)" at the commas outside parentheses, trimming each item (no lookup).</summary>
    /// <exception cref="InvalidInputException">An empty item or unbalanced parentheses.</exception>
    public static IReadOnlyList<string> SplitList(string specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var items = SpecArguments.SplitTopLevel(specs);
        if (items is null)
            throw new InvalidInputException($"activation list '{specs}': unbalanced parentheses.", nameof(specs));
        if (items.Any(string.IsNullOrEmpty))
            throw new InvalidInputException($"activation list '{specs}': empty item; expected names separated by commas, e.g. relu,gelu,elu(alpha=0.5).", nameof(specs));
        return items;
    }
}
