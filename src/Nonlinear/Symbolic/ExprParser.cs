using System.Globalization;

namespace Nonlinear.Symbolic;

/// <summary>A parsed formula: its tree and its variables in evaluation order.</summary>
/// <param name="Expression">The tree; <see cref="Var.Index"/> indexes <paramref name="Variables"/>.</param>
/// <param name="Variables">Variable names in order: x, y, z, then the rest alphabetically; x1, x2, … by number.</param>
public sealed record Formula(Expr Expression, IReadOnlyList<string> Variables)
{
    /// <summary>Evaluates at one point given in the order of <see cref="Variables"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> point) => Expression.Evaluate(point);
}

/// <summary>
/// Reads formulas such as <c>exp(sin(pi*x)+y^2)</c>: numbers (1, 2.5, 1e-3), variables (any other identifier),
/// constants pi and e, + − * / and ^ (also **, right-associative, binding tighter than unary minus: −x^2 = −(x²)),
/// unary ±, parentheses, the functions of <see cref="MathFunction"/> (with aliases ln, asin, atan, …),
/// pow(a, b), and max(a, b) / min(a, b) (read as relu forms: max(a, 0) = relu(a), max(a, b) = b + relu(a − b)). Malformed input raises an <see cref="InvalidInputException"/> naming the 1-based column.
/// </summary>
public sealed class ExprParser
{
    /// <summary>Longest formula accepted.</summary>
    public const int MaxLength = 4096;
    /// <summary>Deepest nesting accepted (parentheses, function calls, unary signs).</summary>
    public const int MaxDepth = 128;

    private readonly string _s;
    private int _pos, _depth;
    private readonly Dictionary<string, Var> _vars = new(StringComparer.Ordinal);

    private ExprParser(string s) => _s = s;

    /// <summary>Parses <paramref name="text"/>; variables are ordered as described on <see cref="Formula"/>.</summary>
    /// <exception cref="InvalidInputException">Malformed input; the message names the column and what was expected.</exception>
    public static Formula Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength) throw new InvalidInputException($"formula is {text.Length} characters long; at most {MaxLength} are accepted.");
        var p = new ExprParser(text);
        p.SkipSpace();
        if (p._pos == text.Length) throw new InvalidInputException("formula is empty.");
        var e = p.ParseSum();
        p.SkipSpace();
        if (p._pos < text.Length) throw p.Error($"unexpected '{text[p._pos]}'");
        var names = p._vars.Keys.OrderBy(OrderKey.Instance.Rank).ThenBy(n => n, OrderKey.Instance).ToList();
        var index = names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i, StringComparer.Ordinal);
        return new Formula(Renumber(e, index), names);
    }

    private static Expr Renumber(Expr e, Dictionary<string, int> index) => e switch
    {
        Var v => new Var(index[v.Name], v.Name),
        Neg n => new Neg(Renumber(n.Arg, index)),
        Call c => new Call(c.Function, Renumber(c.Arg, index)),
        Binary b => new Binary(b.Op, Renumber(b.Left, index), Renumber(b.Right, index)),
        _ => e,
    };

    /// <summary>x, y, z first; then x1 &lt; x2 &lt; x10 (numeric suffixes compared as numbers); then the rest by name.</summary>
    private sealed class OrderKey : IComparer<string>
    {
        public static readonly OrderKey Instance = new();
        public int Rank(string n) => n switch { "x" => 0, "y" => 1, "z" => 2, _ => 3 };
        public int Compare(string? a, string? b)
        {
            (string pa, long na) = Split(a!);
            (string pb, long nb) = Split(b!);
            int c = string.CompareOrdinal(pa, pb);
            return c != 0 ? c : na != nb ? na.CompareTo(nb) : string.CompareOrdinal(a, b);
        }
        private static (string, long) Split(string s)
        {
            int i = s.Length;
            while (i > 0 && char.IsDigit(s[i - 1])) i--;
            return i < s.Length && s.Length - i < 18 ? (s[..i], long.Parse(s[i..], CultureInfo.InvariantCulture)) : (s, -1);
        }
    }

    private InvalidInputException Error(string what) => new($"{what} at column {_pos + 1} of '{_s}'.");

    private void SkipSpace()
    {
        while (_pos < _s.Length && char.IsWhiteSpace(_s[_pos])) _pos++;
    }

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_s, _pos, token, 0, token.Length) != 0) return false;
        _pos += token.Length;
        return true;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth) throw Error($"formula nests deeper than {MaxDepth} levels");
    }

    private Expr ParseSum()
    {
        var e = ParseProduct();
        while (true)
        {
            if (Accept("+")) e = new Binary(BinaryOp.Add, e, ParseProduct());
            else if (Accept("-")) e = new Binary(BinaryOp.Sub, e, ParseProduct());
            else return e;
        }
    }

    private Expr ParseProduct()
    {
        var e = ParseUnary();
        while (true)
        {
            SkipSpace();
            if (_pos + 1 < _s.Length && _s[_pos] == '*' && _s[_pos + 1] == '*') return e; // a power, handled below
            if (Accept("*")) e = new Binary(BinaryOp.Mul, e, ParseUnary());
            else if (Accept("/")) e = new Binary(BinaryOp.Div, e, ParseUnary());
            else return e;
        }
    }

    private Expr ParseUnary()
    {
        Enter();
        try
        {
            if (Accept("-")) return new Neg(ParseUnary());
            if (Accept("+")) return ParseUnary();
            return ParsePower();
        }
        finally { _depth--; }
    }

    private Expr ParsePower()
    {
        var b = ParsePrimary();
        if (Accept("^") || Accept("**")) return new Binary(BinaryOp.Pow, b, ParseUnary());
        return b;
    }

    private Expr ParsePrimary()
    {
        SkipSpace();
        if (_pos >= _s.Length) throw Error("expected a number, variable, function or '(' but the formula ended");
        char ch = _s[_pos];
        if (ch == '(')
        {
            _pos++;
            Enter();
            var e = ParseSum();
            _depth--;
            if (!Accept(")")) throw Error(_pos >= _s.Length ? "missing ')' (the formula ended)" : $"expected ')' but found '{_s[_pos]}'");
            return e;
        }
        if (char.IsDigit(ch) || ch == '.') return ParseNumber();
        if (char.IsLetter(ch) || ch == '_') return ParseName();
        throw Error($"unexpected '{ch}'");
    }

    private Expr ParseNumber()
    {
        int start = _pos;
        while (_pos < _s.Length && (char.IsDigit(_s[_pos]) || _s[_pos] == '.')) _pos++;
        if (_pos < _s.Length && (_s[_pos] == 'e' || _s[_pos] == 'E'))
        {
            int save = _pos++;
            if (_pos < _s.Length && (_s[_pos] == '+' || _s[_pos] == '-')) _pos++;
            if (_pos < _s.Length && char.IsDigit(_s[_pos])) { while (_pos < _s.Length && char.IsDigit(_s[_pos])) _pos++; }
            else _pos = save; // "2e" without exponent digits: leave the e unread, so it is reported as unexpected
        }
        string tok = _s[start.._pos];
        if (!double.TryParse(tok, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            _pos = start;
            throw Error($"malformed number '{tok}'");
        }
        return new Const(v);
    }

    private Expr ParseName()
    {
        int start = _pos;
        while (_pos < _s.Length && (char.IsLetterOrDigit(_s[_pos]) || _s[_pos] == '_')) _pos++;
        string name = _s[start.._pos];
        SkipSpace();
        bool call = _pos < _s.Length && _s[_pos] == '(';
        if (call)
        {
            if (name is "pow" or "max" or "min") return ParseTwoArgumentCall(name);
            if (!MathFunctions.TryParse(name, out var f))
            {
                _pos = start;
                throw Error($"unknown function '{name}' (known: {string.Join(", ", MathFunctions.Names)}, pow, max, min)");
            }
            _pos++;
            Enter();
            var arg = ParseSum();
            _depth--;
            if (Accept(",")) throw Error($"{name} takes one argument");
            if (!Accept(")")) throw Error($"expected ')' to close {name}(");
            return new Call(f, arg);
        }
        if (name == "pi") return new Const(Math.PI);
        if (name == "e") return new Const(Math.E);
        if (MathFunctions.TryParse(name, out _) || name is "pow" or "max" or "min")
        {
            _pos = start;
            throw Error($"function '{name}' needs an argument in parentheses");
        }
        if (!_vars.TryGetValue(name, out var v)) _vars[name] = v = new Var(-1, name);
        return v;
    }

    private Expr ParseTwoArgumentCall(string name)
    {
        _pos++;
        Enter();
        var a = ParseSum();
        if (!Accept(",")) throw Error($"{name} takes two arguments: expected ','");
        var b = ParseSum();
        _depth--;
        if (!Accept(")")) throw Error($"expected ')' to close {name}(");
        return name switch
        {
            "pow" => new Binary(BinaryOp.Pow, a, b),
            "max" => Max(a, b),
            _ => Min(a, b),
        };
    }

    // max and min are written with relu, the language's one kink, so differentiation, simplification and printing need
    // no new node: max(a, 0) = relu(a), max(a, b) = b + relu(a − b), min(a, b) = a − relu(a − b). At a tie the
    // derivative takes half of each side (relu′(0) = ½, the ExprDerivative convention).
    private static Expr Max(Expr a, Expr b) =>
        b is Const { Value: 0 } ? new Call(MathFunction.Relu, a)
        : a is Const { Value: 0 } ? new Call(MathFunction.Relu, b)
        : new Binary(BinaryOp.Add, b, new Call(MathFunction.Relu, new Binary(BinaryOp.Sub, a, b)));

    private static Expr Min(Expr a, Expr b) =>
        b is Const { Value: 0 } ? new Neg(new Call(MathFunction.Relu, new Neg(a)))
        : a is Const { Value: 0 } ? new Neg(new Call(MathFunction.Relu, new Neg(b)))
        : new Binary(BinaryOp.Sub, a, new Call(MathFunction.Relu, new Binary(BinaryOp.Sub, a, b)));
}
