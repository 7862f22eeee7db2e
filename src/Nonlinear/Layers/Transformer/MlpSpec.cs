using Nonlinear.Activations;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// The MLP of a transformer block, parsed once from "--mlp": a plain MLP W₂·f(W₁x) with any activation f of the
/// <see cref="ActivationRegistry"/> (relu, gelu, relu2, learnable units…), or a gated MLP W₂·(g(W_g x) ⊙ W_u x)
/// (Shazeer 2020, https://arxiv.org/abs/2002.05202): glu (g = σ), reglu, geglu, swiglu, glu(ACT) with any activation,
/// and bilinear (no g). <see cref="ToString"/> parses back to an equal spec.
/// </summary>
public sealed record MlpSpec
{
    private static readonly (string Name, string Activation)[] Named =
        [("glu", "sigmoid"), ("reglu", "relu"), ("geglu", "gelu"), ("swiglu", "silu")];

    private MlpSpec(bool gated, ActivationSpec? activation)
    {
        IsGated = gated;
        Activation = activation;
    }

    /// <summary>True for the GLU family and bilinear.</summary>
    public bool IsGated { get; }

    /// <summary>The plain MLP's activation or the gate's; null for bilinear.</summary>
    public ActivationSpec? Activation { get; }

    /// <summary>A plain MLP with <paramref name="activation"/>.</summary>
    public static MlpSpec Plain(ActivationSpec activation) => new(false, activation ?? throw new ArgumentNullException(nameof(activation)));

    /// <summary>A gated MLP with gate activation <paramref name="gate"/>; null is bilinear.</summary>
    public static MlpSpec Gated(ActivationSpec? gate) => new(true, gate);

    /// <summary>
    /// Reads "swiglu", "geglu", "reglu", "glu", "glu(ACT)", "bilinear" or an activation spec ("gelu", "relu2", "pau(5,4)").
    /// </summary>
    /// <exception cref="InvalidInputException">Unknown name (with a suggestion) or a bad activation inside glu(…).</exception>
    public static MlpSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 512) throw new InvalidInputException($"--mlp is {text.Length} characters long; at most 512 are read.", nameof(text));
        string s = text.Trim();
        string lower = s.ToLowerInvariant();
        if (lower == "bilinear") return Gated(null);
        foreach (var (name, act) in Named)
            if (lower == name) return Gated(ActivationSpec.Parse(act));
        if (lower.StartsWith("glu(", StringComparison.Ordinal) && lower.EndsWith(')'))
        {
            try { return Gated(ActivationSpec.Parse(s[4..^1])); }
            catch (InvalidInputException e) { throw new InvalidInputException($"--mlp '{text}': gate activation: {MessageText.WithoutParameter(e)}", nameof(text)); }
        }
        var (head, _) = SpecArguments.Split(s);
        if (!ActivationRegistry.TryGet(head, out _))
            throw new InvalidInputException(NameSuggester.Message("--mlp", head,
                Named.Select(n => n.Name).Concat(["bilinear"]).Concat(ActivationRegistry.All.Select(e => e.Name)),
                "expected swiglu, geglu, reglu, glu, glu(ACT), bilinear or an activation (gelu, relu, relu2, …)"), nameof(text));
        try { return Plain(ActivationSpec.Parse(s)); }
        catch (InvalidInputException e) { throw new InvalidInputException($"--mlp '{text}': {MessageText.WithoutParameter(e)}", nameof(text)); }
    }

    /// <summary>
    /// Hidden width for model width <paramref name="width"/>: 4·d for a plain MLP; for gated kinds ⌊8d/3⌋ rounded up
    /// to a multiple of 8 (the LLaMA rule), so the three matrices hold about as many weights as the plain two.
    /// </summary>
    public int DefaultHidden(int width) => IsGated ? 8 * ((8 * width / 3 + 7) / 8) : 4 * width;

    /// <summary>"swiglu", "glu(elu(alpha=0.5))", "bilinear", "gelu", …</summary>
    public override string ToString()
    {
        if (!IsGated) return Activation!.ToString();
        if (Activation is null) return "bilinear";
        foreach (var (name, act) in Named)
            if (Activation.Equals(ActivationSpec.Parse(act))) return name;
        return $"glu({Activation})";
    }
}
