using System.Text.Json;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// Renames state-dict keys by prefix, so a checkpoint with attribute-style names (a torch module with
/// <c>self.fc1 = nn.Linear(…)</c> saves "fc1.weight") loads into our <see cref="Sequential"/> ("0.weight"):
/// the rule <c>fc1.=&gt;0.</c> turns "fc1.weight" into "0.weight". Each key is rewritten by the first rule whose old
/// prefix it starts with (rules apply in the order given; an empty old prefix matches every key, so <c>=&gt;model.</c>
/// prefixes all); keys no rule matches stay as they are.
/// </summary>
public sealed class StateDictKeyMap
{
    /// <summary>Most rules one map may hold (a map file is user input and is bounded like every parser's input).</summary>
    public const int MaxRules = 10_000;

    private readonly List<(string From, string To)> _rules;

    /// <summary>A map with the rules (old prefix, new prefix) in order.</summary>
    public StateDictKeyMap(IEnumerable<(string From, string To)> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules.ToList();
        if (_rules.Count > MaxRules) throw new InvalidInputException($"key map: at most {MaxRules} rules; got {_rules.Count}.");
    }

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<(string From, string To)> Rules => _rules;

    /// <summary>
    /// Parses rules "OLD=&gt;NEW" (one per string, as repeated <c>--map</c> options give them). A string that names an
    /// existing .json file instead contributes that file's rules: a JSON object {"OLD": "NEW", …}, in file order.
    /// </summary>
    /// <exception cref="InvalidInputException">A rule without "=&gt;", or a map file that is not such an object.</exception>
    public static StateDictKeyMap Parse(IEnumerable<string> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var rules = new List<(string, string)>();
        foreach (string spec in specs)
        {
            if (spec.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !spec.Contains("=>", StringComparison.Ordinal))
            {
                rules.AddRange(ReadJson(spec));
                continue;
            }
            int at = spec.IndexOf("=>", StringComparison.Ordinal);
            if (at < 0)
                throw new InvalidInputException($"--map '{spec}': expected OLD=>NEW (a key prefix and its replacement, e.g. 'fc1.=>0.') or a FILE.json.");
            rules.Add((spec[..at], spec[(at + 2)..]));
        }
        return new StateDictKeyMap(rules);
    }

    private static List<(string, string)> ReadJson(string path)
    {
        // Prefix maps are a few lines; a bound keeps a wrong file (a dataset, a device) from being read whole.
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"--map '{path}': no such file.", path);
        if (info.Length > 1 << 20) throw new InvalidInputException($"--map '{path}': a key map file holds at most 1 MiB; got {info.Length} bytes.");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"--map '{path}': expected a JSON object {{\"OLD\": \"NEW\", …}}; got a {doc.RootElement.ValueKind}.");
            var rules = new List<(string, string)>();
            foreach (var p in doc.RootElement.EnumerateObject())
                rules.Add((p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()!
                    : throw new InvalidDataException($"--map '{path}': the value of \"{p.Name}\" must be a string; got a {p.Value.ValueKind}.")));
            return rules;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"--map '{path}': not valid JSON ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    /// <summary>The key <paramref name="key"/> after the first matching rule.</summary>
    public string Apply(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var (from, to) in _rules)
            if (key.StartsWith(from, StringComparison.Ordinal)) return to + key[from.Length..];
        return key;
    }

    /// <summary>A copy of <paramref name="state"/> with every key renamed; the tensors are shared.</summary>
    /// <exception cref="InvalidInputException">Two keys are renamed to the same key (both named).</exception>
    public Dictionary<string, Tensor> Apply(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var result = new Dictionary<string, Tensor>(state.Count);
        var source = new Dictionary<string, string>(state.Count);
        foreach (var (key, tensor) in state)
        {
            string renamed = Apply(key);
            if (!source.TryAdd(renamed, key))
                throw new InvalidInputException($"--map: keys '{source[renamed]}' and '{key}' both become '{renamed}'; expected rules that keep keys distinct.");
            result[renamed] = tensor;
        }
        return result;
    }
}
