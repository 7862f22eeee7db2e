using Nonlinear.Tensors;

namespace Nonlinear.Cli.Search;

/// <summary>One candidate of the core unit b(u₁(x), u₂(x)): indices into a <see cref="SearchSpace"/>'s primitive lists.</summary>
internal readonly record struct Candidate(int Unary1, int Unary2, int Binary);

/// <summary>
/// A search space of activation functions built from the core unit of Ramachandran, Zoph and Le, "Searching for Activation
/// Functions" (2017): a binary function of two unary functions of x. "swish-paper" holds the paper's primitives (its
/// Section 3), with its trainable β fixed at 1 (βx is x then, so it is not listed twice; x + β is x + 1), its ε at 1e-3,
/// its sinc as sin(x)/x and sinh⁻¹ written with logarithms. Each candidate becomes a formula activation text.
/// </summary>
internal sealed class SearchSpace
{
    private SearchSpace(string name, string[] unary, string[] binary)
    {
        Name = name;
        Unary = unary;
        Binary = binary;
    }

    /// <summary>The space's name (the --space value).</summary>
    public string Name { get; }

    /// <summary>Unary primitives as formulas of x.</summary>
    public IReadOnlyList<string> Unary { get; }

    /// <summary>Binary primitives with placeholders: {a}/{b} are wrapped in parentheses unless atomic, [a]/[b] are not (they sit alone inside a call).</summary>
    public IReadOnlyList<string> Binary { get; }

    /// <summary>Distinct candidates (before deduplication by behaviour).</summary>
    public int Size => Unary.Count * Unary.Count * Binary.Count;

    /// <summary>The paper's primitives.</summary>
    public static SearchSpace SwishPaper { get; } = new("swish-paper",
    [
        "x", "-x", "abs(x)", "x^2", "x^3", "sqrt(x)", "x+1", "log(abs(x)+0.001)", "exp(x)", "sin(x)", "cos(x)", "sinh(x)", "cosh(x)",
        "tanh(x)", "sgn(x)*log(abs(x)+sqrt(x^2+1))", "atan(x)", "sinc(x/pi)", "max(x,0)", "min(x,0)", "sigmoid(x)", "softplus(x)",
        "exp(-x^2)", "erf(x)", "1",
    ],
    [
        "{a}+{b}", "{a}-{b}", "{a}*{b}", "{a}/({b}+0.001)", "max([a],[b])", "min([a],[b])", "sigmoid([a])*{b}",
        "exp(-({a}-{b})^2)", "exp(-abs({a}-{b}))", "0.5*{a}+0.5*{b}",
    ]);

    /// <summary>The spaces by name.</summary>
    public static IReadOnlyList<SearchSpace> All { get; } = [SwishPaper];

    /// <summary>The space called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidInputException">No such space.</exception>
    public static SearchSpace Get(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidInputException($"--space: unknown search space '{name}'; expected one of {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));

    /// <summary>The candidate's formula text, e.g. "x*sigmoid(x)".</summary>
    public string Formula(Candidate c)
    {
        string a = Unary[c.Unary1], b = Unary[c.Unary2];
        return Binary[c.Binary].Replace("[a]", a).Replace("[b]", b).Replace("{a}", Wrap(a)).Replace("{b}", Wrap(b));
    }

    // An operand is atomic when it is a name or number, or one call whose parentheses close at its end.
    private static string Wrap(string s) => IsAtomic(s) ? s : $"({s})";

    private static bool IsAtomic(string s)
    {
        if (s.All(ch => char.IsLetterOrDigit(ch) || ch == '_' || ch == '.')) return true;
        int open = s.IndexOf('(');
        if (open <= 0 || !s[..open].All(char.IsLetterOrDigit) || s[^1] != ')') return false;
        int depth = 0;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] == '(') depth++;
            else if (s[i] == ')' && --depth == 0 && i < s.Length - 1) return false;
        }
        return true;
    }

    /// <summary>A uniformly random candidate.</summary>
    public Candidate Random(Rng rng) => new(rng.NextInt(Unary.Count), rng.NextInt(Unary.Count), rng.NextInt(Binary.Count));

    /// <summary>
    /// The regularized-evolution mutation: one of the three primitives (chosen uniformly) replaced by a different one of its
    /// kind, as Real et al. mutate one operation of an architecture.
    /// </summary>
    public Candidate Mutate(Candidate c, Rng rng)
    {
        int slot = rng.NextInt(3);
        int Other(int current, int count) => (current + 1 + rng.NextInt(count - 1)) % count;
        return slot switch
        {
            0 => c with { Unary1 = Other(c.Unary1, Unary.Count) },
            1 => c with { Unary2 = Other(c.Unary2, Unary.Count) },
            _ => c with { Binary = Other(c.Binary, Binary.Count) },
        };
    }
}
