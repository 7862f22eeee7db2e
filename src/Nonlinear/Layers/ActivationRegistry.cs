using Nonlinear.Activations;
using Nonlinear.Layers.Learnable;

namespace Nonlinear.Layers;

/// <summary>
/// Every activation a model can use, by one name each: the fixed catalog (<see cref="ActivationCatalog"/>) and the
/// learnable units (<see cref="LearnableUnits"/>). A name or alias declared twice across the two fails the type
/// initializer, so one name never has two meanings (torch.nn.PReLU is learnable, so "prelu" is the learnable unit and the
/// fixed-slope catalog entry is "prelu_fixed"; likewise "apa"/"apa_fixed" and "snake"/"snake_fixed").
/// </summary>
public static class ActivationRegistry
{
    private static readonly RegisteredActivation[] Entries =
        [.. LearnableUnits.All.Select(RegisteredActivation.Of), .. ActivationCatalog.All.Select(RegisteredActivation.Of)];
    private static readonly Dictionary<string, RegisteredActivation> ByName = Index(Entries);

    /// <summary>Learnable units first, then the catalog in its order.</summary>
    public static IReadOnlyList<RegisteredActivation> All => Entries;

    /// <summary>The learnable units.</summary>
    public static IEnumerable<RegisteredActivation> Learnable => Entries.Where(e => e.IsLearnable);

    // Internal so a test can feed it a clash.
    internal static Dictionary<string, RegisteredActivation> Index(IEnumerable<RegisteredActivation> entries)
    {
        var d = new Dictionary<string, RegisteredActivation>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries)
            foreach (var name in e.Aliases.Prepend(e.Name))
                if (!d.TryAdd(name, e))
                    throw new InvalidOperationException($"activation name '{name}' is declared twice ({d[name].Name} and {e.Name}).");
        return d;
    }

    /// <summary>Finds an entry by name or alias (case-insensitive).</summary>
    public static bool TryGet(string name, out RegisteredActivation entry)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ByName.TryGetValue(name.Trim(), out entry!);
    }

    /// <summary>Finds an entry by name or alias.</summary>
    /// <exception cref="InvalidInputException">Unknown name; the message suggests the closest names of either kind.</exception>
    public static RegisteredActivation Get(string name)
    {
        if (TryGet(name, out var e)) return e;
        throw new InvalidInputException(NameSuggester.Message("activation", name, ByName.Keys,
            $"'nonlinear activations list' shows all {Entries.Length}; learnable: {string.Join(", ", Learnable.Select(l => l.Name))}"), nameof(name));
    }
}
