using Nonlinear.Activations;

namespace Nonlinear.Models;

// The kind options of a model spec: "snn:1000,beta=0.9,t=25" — items with '=' after the widths, bound once to the
// kind's declared parameters (ModelKind.KindOptions) and kept in canonical spelling.
public sealed partial record ModelSpec
{
    private string[] _options = [];

    /// <summary>The canonical value of the kind option <paramref name="name"/> (its default when the spec gave none).</summary>
    /// <exception cref="ArgumentException">The kind declares no such option.</exception>
    public string Option(string name)
    {
        for (int i = 0; i < Kind.KindOptions.Count; i++)
            if (Kind.KindOptions[i].Name == name) return _options[i];
        throw new ArgumentException($"model kind {Kind.Name} has no option '{name}'.", nameof(name));
    }

    // Binds key=value items to the kind's parameters; every value checked by the kind (ModelKind.CanonicalOption).
    private static string[] BindOptions(ModelKind kind, string text, IReadOnlyList<(string Key, string Value)>? given)
    {
        var ps = kind.KindOptions;
        var values = new string?[ps.Count];
        foreach (var (key, value) in given ?? [])
        {
            int i = -1;
            for (int j = 0; j < ps.Count && i < 0; j++) if (ps[j].Name.Equals(key.Trim(), StringComparison.OrdinalIgnoreCase)) i = j;
            if (i < 0)
                throw new InvalidInputException(ps.Count == 0
                    ? $"--model '{text}': {kind.Name} takes no options; got '{key}'; expected {kind.Form}."
                    : $"--model '{text}': {kind.Name} has no option '{key}' (it has: {string.Join(", ", ps.Select(p => p.Name))}).", "options");
            if (values[i] is not null) throw new InvalidInputException($"--model '{text}': option '{ps[i].Name}' given twice.", "options");
            try { values[i] = kind.CanonicalOption(ps[i], value, text); }
            catch (InvalidInputException e)
            {
                string m = MessageText.WithoutParameter(e);
                if (m.StartsWith("activation '", StringComparison.Ordinal)) m = m["activation '".Length..][(text.Length + 3)..]; // drop the binder's "activation '<spec>': "
                throw new InvalidInputException($"--model '{text}': {m}", "options");
            }
        }
        return values.Select((v, i) => v ?? ps[i].Default).ToArray();
    }

    // ",key=value" for the options that differ from their defaults, in declaration order.
    private string FormatOptions() =>
        string.Concat(Kind.KindOptions.Select((p, i) => _options[i] == p.Default ? "" : $",{p.Name}={_options[i]}"));

    // Splits the part after ':' into width items and key=value items (commas inside parentheses belong to a value).
    private static (List<string> Widths, List<(string, string)> Options) SplitItems(string model, string body)
    {
        var items = SpecArguments.SplitTopLevel(body) ?? throw new InvalidInputException($"--model '{model}': unbalanced parentheses.", nameof(model));
        var widths = new List<string>();
        var options = new List<(string, string)>();
        foreach (string item in items)
        {
            int eq = item.IndexOf('=');
            if (eq > 0) options.Add((item[..eq].Trim(), item[(eq + 1)..].Trim()));
            else widths.Add(item);
        }
        return (widths, options);
    }
}
