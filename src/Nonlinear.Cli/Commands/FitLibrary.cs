using Nonlinear.Kan.Symbolic;

namespace Nonlinear.Cli.Commands;

/// <summary>`fit --lib x,x^2,sin,…`: the symbolic library restricted to the named functions.</summary>
internal static class FitLibrary
{
    /// <summary>The named entries plus the constant 0 (needed for negligible edges); null (the whole library) for null.</summary>
    public static IReadOnlyList<SymbolicFunction>? Parse(string? names)
    {
        if (names is null) return null;
        var parts = names.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > 64) throw new InvalidInputException($"--lib: at most 64 names; got {parts.Length}.");
        var chosen = new List<SymbolicFunction>();
        foreach (var name in parts)
        {
            var f = SymbolicLibrary.All.FirstOrDefault(e => e.Name == name)
                ?? throw new InvalidInputException($"--lib: unknown function '{name}'; expected names from: {string.Join(", ", SymbolicLibrary.All.Select(e => e.Name))}.", "lib");
            if (!chosen.Contains(f)) chosen.Add(f);
        }
        if (!chosen.Any(f => f.IsZero)) chosen.Add(SymbolicLibrary.Get("0"));
        return chosen;
    }
}
