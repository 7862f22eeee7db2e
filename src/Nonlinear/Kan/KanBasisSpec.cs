using System.Globalization;

namespace Nonlinear.Kan;

/// <summary>
/// A KAN basis with its arguments bound: "bspline", "rbf(centres=12)", "bspline(grid=10,k=2)", or positionally
/// "chebyshev(6)". Every argument is bound (a left-out one takes its declared default), so two specs of the same basis
/// and values are equal however they were written; <see cref="ToString"/> prints the non-default arguments and
/// <c>Parse(spec.ToString())</c> equals <c>spec</c>.
/// </summary>
/// <example><c>KanBasisSpec.Parse("rbf(centres=12)").ToString()</c> is "rbf(centres=12)"; <c>KanBasisSpec.Parse("RBF(8)")</c> prints "rbf".</example>
public sealed record KanBasisSpec
{
    /// <summary>Longest spec text <see cref="Parse"/> reads.</summary>
    public const int MaxLength = 1024;

    private readonly double[] _values;

    /// <summary>The basis with the given arguments bound and the rest at their defaults.</summary>
    /// <param name="basis">The basis.</param>
    /// <param name="arguments">(name, value) pairs; names are the basis's parameter names (case-insensitive).</param>
    /// <exception cref="InvalidInputException">An unknown or repeated argument, a value out of its bounds, or arguments that do not fit together.</exception>
    public KanBasisSpec(KanBasisDescriptor basis, IEnumerable<KeyValuePair<string, double>>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(basis);
        Basis = basis;
        _values = basis.Parameters.Select(p => p.Default).ToArray();
        var seen = new bool[_values.Length];
        foreach (var (name, value) in arguments ?? [])
        {
            int q = basis.IndexOf(name ?? "");
            if (q < 0)
                throw new InvalidInputException(basis.Parameters.Count == 0
                    ? $"KAN basis {basis.Name} takes no arguments; got '{name}'."
                    : $"KAN basis {basis.Name} has no argument '{name}'; expected one of {string.Join(", ", basis.Parameters.Select(p => p.Name))}.", nameof(arguments));
            if (seen[q]) throw new InvalidInputException($"KAN basis {basis.Name}: argument {basis.Parameters[q].Name} is given twice.", nameof(arguments));
            seen[q] = true;
            Bind(q, value);
        }
        if (basis.Check(this) is { } problem) throw new InvalidInputException($"KAN basis {basis.Name}: {problem}", nameof(arguments));
    }

    /// <summary>The basis.</summary>
    public KanBasisDescriptor Basis { get; }

    /// <summary>The basis's name ("rbf").</summary>
    public string Name => Basis.Name;

    /// <summary>Every argument with its bound value, in the basis's parameter order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Arguments =>
        Basis.Parameters.Select((p, q) => new KeyValuePair<string, double>(p.Name, _values[q])).ToArray();

    /// <summary>The value of argument <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The basis has no such argument.</exception>
    public double this[string name] => _values[Index(name)];

    /// <summary>The value of integer argument <paramref name="name"/>.</summary>
    public int Int(string name) => checked((int)this[name]);

    /// <summary>The same basis with argument <paramref name="name"/> set to <paramref name="value"/>.</summary>
    /// <exception cref="InvalidInputException">The value is out of bounds or does not fit the other arguments.</exception>
    public KanBasisSpec With(string name, double value)
    {
        int q = Index(name);
        return new(Basis, Arguments.Select((a, i) => i == q ? new KeyValuePair<string, double>(a.Key, value) : a));
    }

    /// <summary>Builds the basis for a layer of <paramref name="inputs"/> inputs.</summary>
    public KanBasis Create(int inputs) => Basis.Create(inputs, this);

    /// <summary>Reads "name", "name()" or "name(a1, …)" with arguments "value" (positional) or "param=value".</summary>
    /// <exception cref="InvalidInputException">Unknown basis (with "did you mean"), malformed text, or a bad argument; the message quotes the text.</exception>
    public static KanBasisSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength) throw new InvalidInputException($"KAN basis spec is {text.Length} characters long; at most {MaxLength} are read.", nameof(text));
        string s = text.Trim();
        int open = s.IndexOf('(');
        string name = (open < 0 ? s : s[..open]).Trim();
        if (name.Length == 0) throw new InvalidInputException($"KAN basis spec '{text}': expected a basis name such as {string.Join(", ", KanBases.All.Select(b => b.Name))}.", nameof(text));
        try
        {
            var basis = KanBases.Get(name);
            if (open < 0) return new KanBasisSpec(basis);
            if (!s.EndsWith(')') || s.IndexOf('(', open + 1) >= 0 || s.IndexOf(')') != s.Length - 1)
                throw new InvalidInputException($"expected {basis.Name}(arg, …) with one pair of parentheses.", nameof(text));
            string body = s[(open + 1)..^1];
            var args = new List<KeyValuePair<string, double>>();
            if (body.Trim().Length == 0) return new KanBasisSpec(basis);
            var items = body.Split(',');
            if (items.Length > Math.Max(1, basis.Parameters.Count))
                throw new InvalidInputException($"{items.Length} arguments; {basis.Name} takes at most {basis.Parameters.Count}.", nameof(text));
            bool named = false;
            for (int q = 0; q < items.Length; q++)
            {
                string item = items[q].Trim();
                int eq = item.IndexOf('=');
                string key;
                if (eq >= 0) { named = true; key = item[..eq].Trim(); item = item[(eq + 1)..].Trim(); }
                else if (named) throw new InvalidInputException($"positional argument '{item}' after a named one.", nameof(text));
                else if (q >= basis.Parameters.Count) throw new InvalidInputException($"{basis.Name} takes no arguments; got '{item}'.", nameof(text));
                else key = basis.Parameters[q].Name;
                if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                {
                    int p = basis.IndexOf(key);
                    string expected = p >= 0 ? basis.Parameters[p].Expected : "a number";
                    throw new InvalidInputException($"argument {key} '{item}' is not {expected}.", nameof(text));
                }
                args.Add(new(key, v));
            }
            return new KanBasisSpec(basis, args);
        }
        catch (InvalidInputException e) { throw new InvalidInputException($"KAN basis spec '{text}': {MessageText.WithoutParameter(e)}", nameof(text)); }
    }

    /// <summary>"name" or "name(p=v,…)" with the arguments that differ from their defaults (parses back to an equal spec).</summary>
    public override string ToString()
    {
        var args = Basis.Parameters.Select((p, q) => (p, v: _values[q])).Where(a => a.v != a.p.Default)
            .Select(a => a.p.Name + "=" + a.v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        return args.Length == 0 ? Name : $"{Name}({string.Join(",", args)})";
    }

    /// <summary>Same basis and argument values.</summary>
    public bool Equals(KanBasisSpec? other) =>
        other is not null && ReferenceEquals(Basis, other.Basis) && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Basis.Name);
        foreach (double v in _values) h.Add(v);
        return h.ToHashCode();
    }

    private void Bind(int q, double value)
    {
        var p = Basis.Parameters[q];
        if (!p.Accepts(value))
            throw new InvalidInputException(FormattableString.Invariant($"KAN basis {Basis.Name}: {p.Name} must be {p.Expected}; got {value}."), p.Name);
        _values[q] = value == 0 ? 0 : value;     // −0 and 0 print and compare alike
    }

    private int Index(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int q = Basis.IndexOf(name);
        if (q < 0) throw new ArgumentException($"KAN basis {Basis.Name} has no argument '{name}'; it has {string.Join(", ", Basis.Parameters.Select(p => p.Name))}.", nameof(name));
        return q;
    }
}
