using System.Globalization;
using Nonlinear.Activations;
using Nonlinear.Kernels.Learnable;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Builds learnable activation modules by name, for `--activation` and <see cref="Training.ModelSpec"/>:
/// prelu, apa, sau, pau (alias rational), snake, snake_beta, with optional arguments in parentheses, positional or
/// name=value: "prelu(init=0.1)" (or a=0.1), "pau(5,4)", "pau(m=5, n=4, form=abssum, init=gelu, range=3, fit=wide)",
/// "snake(a=0.5)", "snake_beta(a=1, beta=2)", "apa(kappa=1, lambda=1, gated=true)", "sau(alpha=0.01, sigma=1)".
/// Every unit takes per_channel=true|false (one parameter set per feature, or one for the layer); defaults follow each
/// paper: PReLU, APA, SAU and PAU per layer, Snake per channel.
/// </summary>
public static class LearnableActivations
{
    private static readonly string[] Names = ["prelu", "apa", "sau", "pau", "rational", "snake", "snake_beta"];

    /// <summary>The learnable unit names.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>True when <paramref name="spec"/> names a learnable unit (case-insensitive, arguments ignored).</summary>
    public static bool IsLearnable(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Names.Contains(NameOf(spec), StringComparer.OrdinalIgnoreCase);
    }

    private static string NameOf(string spec)
    {
        int open = spec.IndexOf('(');
        return (open < 0 ? spec : spec[..open]).Trim();
    }

    /// <summary>
    /// Throws like <see cref="Create"/> would for a malformed spec, without fitting anything expensive twice; for a
    /// catalog name, parses it through <see cref="ActivationCatalog.Parse"/> (whose unknown-name error suggests close names).
    /// </summary>
    public static void Validate(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (IsLearnable(spec)) { Create(spec, 1); return; }
        string name = NameOf(spec);
        if (!ActivationCatalog.TryGet(name, out _))
        {
            var close = Names.MinBy(n => Distance(n, name.ToLowerInvariant()))!;
            if (Distance(close, name.ToLowerInvariant()) <= 2)
                throw new InvalidInputException($"unknown activation '{name}'; did you mean {close}? (learnable: {string.Join(", ", Names)}).", nameof(spec));
        }
        ActivationCatalog.Parse(spec);
    }

    /// <summary>The module for <paramref name="spec"/> in a layer of <paramref name="width"/> features.</summary>
    /// <param name="spec">A learnable unit name with optional arguments.</param>
    /// <param name="width">Features of the layer (the channel count for per-channel parameters).</param>
    /// <param name="warn">Receives warnings, e.g. that a rational fit diverges outside its range.</param>
    /// <exception cref="ArgumentException">Unknown unit or argument, malformed or out-of-range value (all named).</exception>
    public static Module Create(string spec, int width, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (width < 1) throw new InvalidInputException($"width must be ≥ 1; got {width}.", nameof(width));
        string name = NameOf(spec).ToLowerInvariant();
        var args = new Args(spec, name);
        Module m = name switch
        {
            // "a" as the catalog's fixed-slope prelu entry names it; here it is the initial value of the learned slope.
            "prelu" => Build(args, ["init", "per_channel", "a"], a => new PRelu(a.Channels(width, false), a.Float("init", a.Float("a", 0.25f)))),
            "apa" => Build(args, ["kappa", "lambda", "gated", "per_channel"], a => new Apa(a.Channels(width, false), a.Float("kappa", 1f), a.Float("lambda", 1f), a.Bool("gated", true))),
            "sau" => Build(args, ["alpha", "sigma", "per_channel"], a => new Sau(a.Channels(width, false), a.Float("alpha", 0.01f), a.Float("sigma", 1f))),
            "snake" => Build(args, ["a", "per_channel"], a => new Snake(a.Channels(width, true), a.Float("a", 1f))),
            "snake_beta" => Build(args, ["a", "beta", "per_channel"], a => new SnakeBeta(a.Channels(width, true), a.Float("a", 1f), a.Float("beta", 1f))),
            "pau" or "rational" => Build(args, ["m", "n", "form", "init", "range", "fit", "per_channel"], a => Pau(a, width, warn)),
            _ => throw new InvalidInputException($"unknown learnable activation '{name}'; expected one of {string.Join(", ", Names)}.", nameof(spec)),
        };
        return m;
    }

    private static Module Build(Args a, string[] allowed, Func<Args, Module> make)
    {
        a.Bind(allowed);
        return make(a);
    }

    private static Rational Pau(Args a, int width, Action<string>? warn)
    {
        int m = a.Int("m", 5), n = a.Int("n", 4);
        string formText = a.Text("form", "safe");
        var form = formText.ToLowerInvariant() switch
        {
            "safe" => RationalForm.Safe,
            "abssum" or "abs" => RationalForm.AbsSum,
            _ => throw new InvalidInputException($"activation '{a.Spec}': form must be safe or abssum; got '{formText}'.", "spec"),
        };
        string fitText = a.Text("fit", "range");
        var mode = fitText.ToLowerInvariant() switch
        {
            "range" => RationalFitMode.Range,
            "wide" => RationalFitMode.Wide,
            _ => throw new InvalidInputException($"activation '{a.Spec}': fit must be range or wide; got '{fitText}'.", "spec"),
        };
        double range = a.Float("range", 3f);
        if (!(range > 0) || range > 1e3) throw new InvalidInputException($"activation '{a.Spec}': range must be in (0, 1000]; got {range}.", "spec");
        var fit = FitCache.Get(a.Text("init", "leaky_relu(0.01)"), range, m, n, form, mode);
        warn?.Invoke(fit.Warning);
        return new Rational(fit, a.Channels(width, false));
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    /// <summary>Fits are deterministic and cost milliseconds; a model with several layers asks for the same one each time.</summary>
    private static class FitCache
    {
        private static readonly Dictionary<string, RationalFit> Fits = [];

        public static RationalFit Get(string target, double range, int m, int n, RationalForm form, RationalFitMode mode)
        {
            string key = FormattableString.Invariant($"{target}|{range}|{m}|{n}|{form}|{mode}");
            lock (Fits)
            {
                if (!Fits.TryGetValue(key, out var fit)) Fits[key] = fit = Rational.FitTo(target, -range, range, m, n, form, mode);
                return fit;
            }
        }
    }

    /// <summary>Arguments of "name(v1, key=v2, …)"; commas inside nested parentheses belong to the value.</summary>
    private sealed class Args
    {
        private readonly List<(string? Key, string Value)> _raw = [];
        private readonly Dictionary<string, string> _bound = new(StringComparer.OrdinalIgnoreCase);
        public string Spec { get; }

        public Args(string spec, string name)
        {
            Spec = spec.Trim();
            int open = Spec.IndexOf('(');
            if (open < 0) return;
            if (!Spec.EndsWith(')'))
                throw new InvalidInputException($"activation '{Spec}': expected {name}(value, …) with a closing parenthesis.", "spec");
            string inner = Spec[(open + 1)..^1];
            if (inner.Length > 4096) throw new InvalidInputException($"activation spec is {inner.Length} characters long; at most 4096 are read.", "spec");
            int depth = 0, start = 0;
            for (int i = 0; i <= inner.Length; i++)
            {
                if (i < inner.Length && inner[i] == '(') depth++;
                else if (i < inner.Length && inner[i] == ')') depth--;
                else if (i == inner.Length || (inner[i] == ',' && depth == 0))
                {
                    string part = inner[start..i].Trim();
                    start = i + 1;
                    if (part.Length == 0) { if (i == inner.Length && _raw.Count == 0) break; throw new InvalidInputException($"activation '{Spec}': empty argument.", "spec"); }
                    int eq = part.IndexOf('=');
                    int paren = part.IndexOf('(');
                    if (eq > 0 && (paren < 0 || eq < paren)) _raw.Add((part[..eq].Trim(), part[(eq + 1)..].Trim()));
                    else _raw.Add((null, part));
                }
            }
        }

        public void Bind(string[] allowed)
        {
            int positional = 0;
            foreach (var (key, value) in _raw)
            {
                string k;
                if (key is null)
                {
                    if (positional >= allowed.Length)
                        throw new InvalidInputException($"activation '{Spec}': takes at most {allowed.Length} argument(s) ({string.Join(", ", allowed)}); got {_raw.Count}.", "spec");
                    k = allowed[positional++];
                }
                else
                {
                    k = allowed.FirstOrDefault(a => a.Equals(key, StringComparison.OrdinalIgnoreCase))
                        ?? throw new InvalidInputException($"activation '{Spec}': no parameter '{key}' (it has: {string.Join(", ", allowed)}).", "spec");
                }
                if (!_bound.TryAdd(k, value)) throw new InvalidInputException($"activation '{Spec}': parameter '{k}' given twice.", "spec");
            }
        }

        public string Text(string key, string fallback) => _bound.TryGetValue(key, out var v) ? v : fallback;

        public float Float(string key, float fallback)
        {
            if (!_bound.TryGetValue(key, out var v)) return fallback;
            if (!float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) || !float.IsFinite(f))
                throw new InvalidInputException($"activation '{Spec}': {key} must be a finite number; got '{v}'.", "spec");
            return f;
        }

        public int Int(string key, int fallback)
        {
            if (!_bound.TryGetValue(key, out var v)) return fallback;
            if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) || i < 0 || i > RationalKernel.MaxDegree)
                throw new InvalidInputException($"activation '{Spec}': {key} must be an integer in [0, {RationalKernel.MaxDegree}]; got '{v}'.", "spec");
            return i;
        }

        public bool Bool(string key, bool fallback)
        {
            if (!_bound.TryGetValue(key, out var v)) return fallback;
            return v.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => throw new InvalidInputException($"activation '{Spec}': {key} must be true or false; got '{v}'.", "spec"),
            };
        }

        public int Channels(int width, bool perChannelDefault) => Bool("per_channel", perChannelDefault) ? width : 1;
    }
}
