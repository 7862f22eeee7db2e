using System.Globalization;
using Nonlinear.Symbolic;

namespace Nonlinear.Activations.Formula;

/// <summary>
/// The text of a formula activation: "EXPR" or "EXPR; name=value; name=value" (an optional "formula:" prefix), where EXPR is
/// in the <see cref="ExprParser"/> language with the one variable x, and every other name is a parameter given a value after
/// a semicolon (semicolons, not commas, so a formula sits in a comma-separated activation list). The parameters are bound
/// constants, like a catalog entry's hyper-parameters; they are not trained.
/// </summary>
/// <param name="Canonical">The text without the prefix, trimmed, parameters as "; name=value" (round-trip number format).</param>
/// <param name="Expression">EXPR with x as variable 0 and every parameter replaced by its value.</param>
internal sealed record FormulaText(string Canonical, Expr Expression)
{
    /// <summary>The optional prefix that marks a formula explicitly.</summary>
    public const string Prefix = "formula:";

    /// <summary>Longest formula activation read: search candidates and hand-written formulas are far shorter.</summary>
    public const int MaxLength = 1024;

    /// <summary>Largest expression accepted (tree nodes); its derivative and the compiled tapes stay small with it.</summary>
    public const int MaxNodes = 160;

    /// <summary>
    /// True when <paramref name="spec"/> is a formula rather than a registry name: it starts with "formula:", has an operator
    /// (+ − * / ^ ;) outside parentheses, or uses the whole word x anywhere (except as the argument of a catalog name that is
    /// not also a formula function: "elu(x)" stays the catalog's elu, and its error names the bad value). Catalog and learnable specs ("relu",
    /// "leaky_relu(-0.2)", "elu(alpha=0.5)", "pau(init=leaky_relu(0.01))") have none of these, so they parse as before.
    /// </summary>
    public static bool IsFormula(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string s = spec.Trim();
        if (s.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return true;
        // "elu(x)" is the catalog's elu with a malformed argument, as before formulas existed; "tanh(x)" is a formula, since
        // tanh is also a function of the formula language. The operator test below still makes "x*elu(x)" a formula.
        int open = s.IndexOf('(');
        string head = open > 0 ? s[..open].Trim() : "";
        bool catalogCall = head.Length > 0 && ActivationCatalog.TryGet(head, out _) && !MathFunctions.TryParse(head, out _);
        int depth = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && c is '+' or '-' or '*' or '/' or '^' or ';') return true;
            else if (IsWordChar(c))
            {
                int start = i;
                while (i + 1 < s.Length && IsWordChar(s[i + 1])) i++;
                if (i == start && c == 'x' && !catalogCall) return true;
            }
        }
        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Reads a formula activation.</summary>
    /// <exception cref="InvalidInputException">Too long or too large, malformed, a name other than x without a value, a parameter
    /// that is malformed, repeated, unused or not finite, or an expression that does not use x.</exception>
    public static FormulaText Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Length > MaxLength)
            throw new InvalidInputException($"activation formula is {spec.Length} characters long; at most {MaxLength} are read.", nameof(spec));
        string s = spec.Trim();
        if (s.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) s = s[Prefix.Length..].Trim();
        string[] parts = s.Split(';');
        string body = parts[0].Trim();
        if (body.Length == 0) throw new InvalidInputException($"activation formula '{s}' is empty; expected e.g. x*sigmoid(x) or \"x*sigmoid(b*x); b=1.5\".", nameof(spec));
        Symbolic.Formula parsed;
        try { parsed = ExprParser.Parse(body); }
        catch (InvalidInputException e) { throw new InvalidInputException($"activation formula: {MessageText.WithoutParameter(e)}", nameof(spec)); }
        var values = ReadParameters(s, parts);
        foreach (string v in parsed.Variables)
            if (v != "x" && !values.ContainsKey(v))
                throw new InvalidInputException($"activation formula '{s}': '{v}' has no value; an activation is a function of x, and other names are parameters given after a semicolon, e.g. \"{body}; {v}=1\".", nameof(spec));
        foreach (string p in values.Keys)
            if (!parsed.Variables.Contains(p))
                throw new InvalidInputException($"activation formula '{s}': parameter '{p}' is not used by {body}.", nameof(spec));
        if (!parsed.Variables.Contains("x"))
            throw new InvalidInputException($"activation formula '{s}' does not use x; expected a function of x such as x*sigmoid(x).", nameof(spec));
        var expr = Bind(parsed.Expression, values);
        int nodes = Count(expr);
        if (nodes > MaxNodes)
            throw new InvalidInputException($"activation formula '{s}' has {nodes} terms; at most {MaxNodes} are accepted.", nameof(spec));
        string canonical = body + string.Concat(values.Select(kv => $"; {kv.Key}={kv.Value.ToString("R", CultureInfo.InvariantCulture)}"));
        return new FormulaText(canonical, expr);
    }

    // Keeps the order the user wrote, so the canonical text reads like the input.
    private static List<KeyValuePair<string, double>> ReadParameterList(string s, string[] parts)
    {
        var list = new List<KeyValuePair<string, double>>();
        foreach (string raw in parts.Skip(1))
        {
            string part = raw.Trim();
            int eq = part.IndexOf('=');
            string name = eq < 0 ? part : part[..eq].Trim();
            string value = eq < 0 ? "" : part[(eq + 1)..].Trim();
            if (eq < 0 || name.Length == 0 || !name.All(IsWordChar) || char.IsDigit(name[0]))
                throw new InvalidInputException($"activation formula '{s}': parameter '{part}' is not of the form name=value (e.g. b=1.5).", nameof(s));
            if (name is "x" or "pi" or "e" || MathFunctions.TryParse(name, out _))
                throw new InvalidInputException($"activation formula '{s}': '{name}' cannot be a parameter (x is the input; pi, e and function names are reserved).", nameof(s));
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new InvalidInputException($"activation formula '{s}': parameter {name} = '{value}'; expected a finite number.", nameof(s));
            if (list.Any(kv => kv.Key == name))
                throw new InvalidInputException($"activation formula '{s}': parameter '{name}' is given twice.", nameof(s));
            list.Add(new(name, v));
        }
        return list;
    }

    private static OrderedValues ReadParameters(string s, string[] parts) => new(ReadParameterList(s, parts));

    /// <summary>Parameters in the order given, with lookup by name.</summary>
    private sealed class OrderedValues(List<KeyValuePair<string, double>> list) : IEnumerable<KeyValuePair<string, double>>
    {
        public bool ContainsKey(string name) => list.Any(kv => kv.Key == name);
        public double this[string name] => list.First(kv => kv.Key == name).Value;
        public IEnumerable<string> Keys => list.Select(kv => kv.Key);
        public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => list.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static Expr Bind(Expr e, OrderedValues values) => e switch
    {
        Var v when v.Name == "x" => new Var(0, "x"),
        Var v => new Const(values[v.Name]),
        Neg n => new Neg(Bind(n.Arg, values)),
        Call c => new Call(c.Function, Bind(c.Arg, values)),
        Binary b => new Binary(b.Op, Bind(b.Left, values), Bind(b.Right, values)),
        _ => e,
    };

    /// <summary>Tree nodes of <paramref name="e"/>.</summary>
    public static int Count(Expr e) => e switch
    {
        Neg n => 1 + Count(n.Arg),
        Call c => 1 + Count(c.Arg),
        Binary b => 1 + Count(b.Left) + Count(b.Right),
        _ => 1,
    };
}
