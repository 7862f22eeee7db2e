using Nonlinear.Kan;

namespace Nonlinear.Models;

// The KAN basis list of a model spec: "kind[B1,B2,…]" and how "@G" applies to it.
public sealed partial record ModelSpec
{
    /// <summary>Most bases a spec may list.</summary>
    public const int MaxBases = 16;

    // "kan[rbf(centres=8),fourier]" → ("kan", [rbf(centres=8), fourier]); no bracket → (head, null). Commas split bases only
    // outside parentheses, since a basis's own arguments are comma-separated too.
    private static (string Head, KanBasisSpec[]? Bases) SplitBases(string model, string head)
    {
        int open = head.IndexOf('[');
        if (open < 0)
        {
            if (head.Contains(']')) throw new InvalidInputException($"--model '{model}': ']' without '['; expected kind[basis,…]:W1,W2,…", nameof(model));
            return (head, null);
        }
        string tail = head[(open + 1)..].TrimEnd();
        if (!tail.EndsWith(']') || tail.IndexOf(']') != tail.Length - 1 || tail.IndexOf('[') >= 0)
            throw new InvalidInputException($"--model '{model}': expected one basis list kind[basis,…] before ':', e.g. kan[rbf(centres=12)]:64.", nameof(model));
        string inner = tail[..^1];
        var items = new List<string>();
        int depth = 0, start = 0;
        for (int q = 0; q < inner.Length; q++)
        {
            char c = inner[q];
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) break;
            else if (c == ',' && depth == 0) { items.Add(inner[start..q]); start = q + 1; }
            if (items.Count > MaxBases) break;
        }
        items.Add(inner[start..]);
        if (depth != 0) throw new InvalidInputException($"--model '{model}': unbalanced parentheses in the basis list '{inner}'.", nameof(model));
        if (items.Count > MaxBases) throw new InvalidInputException($"--model '{model}': more than {MaxBases} bases listed; at most {MaxBases}.", nameof(model));
        var bases = new KanBasisSpec[items.Count];
        for (int q = 0; q < items.Count; q++)
        {
            if (items[q].Trim().Length == 0)
                throw new InvalidInputException($"--model '{model}': empty basis in the list '{inner}'; expected e.g. kan[bspline,rbf(centres=12)]:64.", nameof(model));
            try { bases[q] = KanBasisSpec.Parse(items[q]); }
            catch (InvalidInputException e) { throw new InvalidInputException($"--model '{model}': {MessageText.WithoutParameter(e)}", nameof(model)); }
        }
        return (head[..open], bases);
    }

    // The layers' bases: the listed (or the kind's) with "@G" bound to each basis's grid argument. "@G" on bases that have
    // no grid (kan-rbf:8@4) is refused rather than ignored.
    private static KanBasisSpec[] EffectiveBases(ModelKind kind, string text, KanBasisSpec[]? given, int? grid)
    {
        if (kind.DefaultBases is null)
        {
            if (given is not null) throw new InvalidInputException($"--model '{text}': a basis list applies to KAN kinds only; expected {kind.Form}.", "bases");
            return [];
        }
        var bases = given ?? kind.DefaultBases.ToArray();
        if (bases.Length == 0 || bases.Length > MaxBases)
            throw new InvalidInputException($"--model '{text}': {bases.Length} bases listed; expected 1 to {MaxBases}.", "bases");
        if (bases.Select(b => b.Name).Distinct().Count() != bases.Length)
            throw new InvalidInputException($"--model '{text}': each basis may be listed once; got [{string.Join(",", bases)}].", "bases");
        if (grid is not int g) return bases;
        if (bases.All(b => b.Basis.GridParameter is null))
            throw new InvalidInputException($"--model '{text}': @G sets the grid size of a B-spline basis; [{string.Join(",", bases)}] has none (give the basis's own arguments, e.g. {kind.Name}[rbf(centres={g})]).", "grid");
        try { return bases.Select(b => b.Basis.GridParameter is { } p ? b.With(p, g) : b).ToArray(); }
        catch (InvalidInputException e) { throw new InvalidInputException($"--model '{text}': {MessageText.WithoutParameter(e)}", "grid"); }
    }
}
