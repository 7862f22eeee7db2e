using System.Globalization;

namespace Nonlinear.LocalLearning;

/// <summary>The training modes of `train --learning`.</summary>
public enum LearningMode
{
    /// <summary>bp: end-to-end backpropagation.</summary>
    Backprop,
    /// <summary>fa: feedback alignment.</summary>
    FeedbackAlignment,
    /// <summary>dfa: direct feedback alignment.</summary>
    DirectFeedbackAlignment,
    /// <summary>ff: forward-forward.</summary>
    ForwardForward,
    /// <summary>hebbian-krotov: Krotov–Hopfield competing hidden units, then a backpropagated read-out.</summary>
    HebbianKrotov,
}

/// <summary>
/// A parsed `--learning` value: "bp", "fa", "dfa", "ff[(theta=2,label=auto|V,predict=goodness|softmax,score_first=true)]"
/// or "hebbian-krotov[(p=3,k=7,delta=0.4,eps=0.02,epochs=10,batch=100,n=4.5)]". <see cref="ToString"/> gives the
/// canonical form with every parameter, which parses back to an equal spec (checkpoints store it).
/// </summary>
public sealed record LearningSpec
{
    private static readonly string[] Names = ["bp", "fa", "dfa", "ff", "hebbian-krotov"];

    /// <summary>The mode.</summary>
    public LearningMode Mode { get; init; }
    /// <summary>Forward-forward's options (defaults unless the mode is ff).</summary>
    public ForwardForwardOptions ForwardForward { get; init; } = new();
    /// <summary>Krotov–Hopfield's options (defaults unless the mode is hebbian-krotov).</summary>
    public KrotovHopfieldOptions Krotov { get; init; } = new();

    /// <summary>Backpropagation.</summary>
    public static LearningSpec Backprop { get; } = new();

    /// <summary>"bp, fa, dfa, ff or hebbian-krotov", for messages and help.</summary>
    public static string Expected => string.Join(", ", Names.Take(Names.Length - 1)) + " or " + Names[^1];

    /// <summary>Parses a `--learning` value (case-insensitive name; parameters key=value).</summary>
    /// <exception cref="InvalidInputException">An unknown mode or parameter, or a value out of range.</exception>
    public static LearningSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 400) throw new InvalidInputException($"--learning is {text.Length} characters long; expected at most 400.", nameof(text));
        string t = text.Trim();
        int open = t.IndexOf('(');
        string name = (open < 0 ? t : t[..open]).Trim().ToLowerInvariant();
        var pairs = new Dictionary<string, string>();
        if (open >= 0)
        {
            if (!t.EndsWith(')')) throw new InvalidInputException($"--learning '{text}': expected NAME(key=value,…) with a closing ')'.", nameof(text));
            foreach (var part in t[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = part.IndexOf('=');
                if (eq <= 0) throw new InvalidInputException($"--learning '{text}': expected key=value; got '{part}'.", nameof(text));
                if (!pairs.TryAdd(part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim()))
                    throw new InvalidInputException($"--learning '{text}': '{part[..eq].Trim()}' is given twice.", nameof(text));
            }
        }
        var reader = new Reader(text, pairs);
        var spec = name switch
        {
            "bp" or "backprop" => new LearningSpec { Mode = LearningMode.Backprop },
            "fa" => new LearningSpec { Mode = LearningMode.FeedbackAlignment },
            "dfa" => new LearningSpec { Mode = LearningMode.DirectFeedbackAlignment },
            "ff" => new LearningSpec
            {
                Mode = LearningMode.ForwardForward,
                ForwardForward = new ForwardForwardOptions
                {
                    Threshold = (float)reader.Number("theta", 2), LabelValue = reader.Optional("label") is double l ? (float)l : null,
                    Prediction = reader.Choice("predict", "goodness", "softmax") == "softmax" ? ForwardForwardPrediction.Softmax : ForwardForwardPrediction.Goodness,
                    ScoreFirstLayer = reader.Choice("score_first", "true", "false") == "true",
                },
            },
            "hebbian-krotov" => new LearningSpec
            {
                Mode = LearningMode.HebbianKrotov,
                Krotov = new KrotovHopfieldOptions
                {
                    P = reader.Number("p", 3), K = reader.Integer("k", 7), Delta = reader.Number("delta", 0.4), LearningRate = reader.Number("eps", 0.02),
                    Epochs = reader.Integer("epochs", 10), BatchSize = reader.Integer("batch", 100), Power = reader.Number("n", 4.5),
                },
            },
            _ => throw new InvalidInputException($"--learning must be {Expected}; got '{text}'.", nameof(text)),
        };
        reader.RequireAllUsed(name);
        spec.ForwardForward.Validate();
        spec.Krotov.Validate(int.MaxValue); // k against the width is checked when the net is built
        return spec;
    }

    /// <summary>The canonical text: the name, with every parameter for ff and hebbian-krotov.</summary>
    public override string ToString()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string F32(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        var f = ForwardForward;
        var k = Krotov;
        return Mode switch
        {
            LearningMode.FeedbackAlignment => "fa",
            LearningMode.DirectFeedbackAlignment => "dfa",
            LearningMode.ForwardForward => $"ff(theta={F32(f.Threshold)},label={(f.LabelValue is float l ? F32(l) : "auto")},predict={f.Prediction.ToString().ToLowerInvariant()},score_first={(f.ScoreFirstLayer ? "true" : "false")})",
            LearningMode.HebbianKrotov => $"hebbian-krotov(p={F(k.P)},k={k.K},delta={F(k.Delta)},eps={F(k.LearningRate)},epochs={k.Epochs},batch={k.BatchSize},n={F(k.Power)})",
            _ => "bp",
        };
    }

    private sealed class Reader(string text, Dictionary<string, string> pairs)
    {
        private readonly HashSet<string> _used = [];

        public double Number(string key, double fallback)
        {
            if (!pairs.TryGetValue(key, out var v)) return fallback;
            _used.Add(key);
            return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
                : throw new InvalidInputException($"--learning '{text}': {key} must be a finite number; got '{v}'.", "learning");
        }

        public double? Optional(string key) =>
            pairs.TryGetValue(key, out var v) && v.Equals("auto", StringComparison.OrdinalIgnoreCase) ? Used(key, null) : pairs.ContainsKey(key) ? Number(key, 0) : null;

        private double? Used(string key, double? value)
        {
            _used.Add(key);
            return value;
        }

        public int Integer(string key, int fallback)
        {
            if (!pairs.TryGetValue(key, out var v)) return fallback;
            _used.Add(key);
            return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
                : throw new InvalidInputException($"--learning '{text}': {key} must be a non-negative integer; got '{v}'.", "learning");
        }

        public string Choice(string key, params string[] choices)
        {
            if (!pairs.TryGetValue(key, out var v)) return choices[0];
            _used.Add(key);
            string c = v.ToLowerInvariant();
            return choices.Contains(c) ? c : throw new InvalidInputException($"--learning '{text}': {key} must be {string.Join(" or ", choices)}; got '{v}'.", "learning");
        }

        public void RequireAllUsed(string name)
        {
            var unknown = pairs.Keys.Where(k => !_used.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new InvalidInputException($"--learning '{text}': {name} takes no parameter '{unknown[0]}'.", "learning");
        }
    }
}
