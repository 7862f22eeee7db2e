namespace Nonlinear.Activations;

/// <summary>
/// The one reader of activation specs "name", "name()", "name(v1, v2)" and "name(key=v, …)": splits the name from the
/// arguments (commas inside nested parentheses belong to a value, as in "pau(init=leaky_relu(0.01))") and binds them,
/// positional first, to a parameter list. Used by <see cref="ActivationCatalog.Parse"/> and by the learnable units.
/// </summary>
internal static class SpecArguments
{
    /// <summary>Longest spec read; every name and value we know is far shorter.</summary>
    public const int MaxLength = 4096;

    /// <summary>The name and the raw arguments (key null for positional ones) of <paramref name="spec"/>.</summary>
    /// <exception cref="InvalidInputException">Too long, a missing closing parenthesis, unbalanced parentheses or an empty argument.</exception>
    public static (string Name, IReadOnlyList<(string? Key, string Value)> Arguments) Split(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Length > MaxLength)
            throw new InvalidInputException($"activation spec is {spec.Length} characters long; at most {MaxLength} are read.", nameof(spec));
        string s = spec.Trim();
        int open = s.IndexOf('(');
        if (open < 0)
        {
            if (s.Contains(')')) throw new InvalidInputException($"activation '{s}': unbalanced parentheses.", nameof(spec));
            return (s, []);
        }
        string name = s[..open].Trim();
        if (!s.EndsWith(')'))
            throw new InvalidInputException($"activation '{s}': expected {name}(value, …) with a closing parenthesis.", nameof(spec));
        var parts = SplitTopLevel(s[(open + 1)..^1]) ?? throw new InvalidInputException($"activation '{s}': unbalanced parentheses.", nameof(spec));
        var args = new List<(string?, string)>();
        if (parts is [""]) return (name, args); // "name()"
        foreach (string part in parts)
        {
            if (part.Length == 0) throw new InvalidInputException($"activation '{s}': empty argument.", nameof(spec));
            int eq = part.IndexOf('='), paren = part.IndexOf('(');
            if (eq > 0 && (paren < 0 || eq < paren)) args.Add((part[..eq].Trim(), part[(eq + 1)..].Trim()));
            else args.Add((null, part));
        }
        return (name, args);
    }

    /// <summary>
    /// <paramref name="text"/> split at the commas outside parentheses, each part trimmed; null when the parentheses do
    /// not balance. The one splitter of argument lists and activation lists.
    /// </summary>
    public static IReadOnlyList<string>? SplitTopLevel(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ',';
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) return null;
            else if (c == ',' && depth == 0)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        return depth == 0 ? parts : null;
    }

    /// <summary>
    /// One canonical value per parameter (defaults for the ones not given), in <paramref name="parameters"/> order.
    /// </summary>
    /// <param name="spec">The whole spec, for messages.</param>
    /// <param name="name">The entry's canonical name, for messages.</param>
    /// <param name="parameters">The entry's parameters.</param>
    /// <param name="arguments">The arguments from <see cref="Split"/>.</param>
    /// <exception cref="InvalidInputException">Too many arguments, an unknown or repeated key, or a value <see cref="SpecParameter.Canonical"/> rejects.</exception>
    public static string[] Bind(string spec, string name, IReadOnlyList<SpecParameter> parameters, IReadOnlyList<(string? Key, string Value)> arguments)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(arguments);
        string s = spec.Trim();
        string has = parameters.Count == 0 ? "none" : string.Join(", ", parameters.Select(p => p.Name));
        if (arguments.Count > parameters.Count)
            throw new InvalidInputException($"activation '{s}': {name} takes {parameters.Count} parameter(s) ({has}); got {arguments.Count}.", nameof(spec));
        var values = new string?[parameters.Count];
        int positional = 0;
        foreach (var (key, value) in arguments)
        {
            int index;
            if (key is null) index = positional++;
            else
            {
                index = -1;
                for (int j = 0; j < parameters.Count && index < 0; j++)
                    if (parameters[j].Name.Equals(key, StringComparison.OrdinalIgnoreCase)) index = j;
                if (index < 0) throw new InvalidInputException($"activation '{s}': {name} has no parameter '{key}' (it has: {has}).", nameof(spec));
            }
            if (values[index] is not null) throw new InvalidInputException($"activation '{s}': parameter '{parameters[index].Name}' given twice.", nameof(spec));
            values[index] = parameters[index].Canonical(value, s);
        }
        return values.Select((v, i) => v ?? parameters[i].Default).ToArray();
    }
}
