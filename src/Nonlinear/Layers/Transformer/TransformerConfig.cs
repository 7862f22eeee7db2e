using System.Globalization;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// The shape of a decoder-only transformer (<see cref="DecoderTransformer"/>). Defaults follow nanoGPT / GPT-2:
/// learned positions, pre-LayerNorm, head tied to the token embedding, no dropout, a GELU MLP of hidden 4·D.
/// </summary>
/// <param name="Vocab">Token ids 0 … Vocab − 1.</param>
/// <param name="Layers">Number of blocks.</param>
/// <param name="Width">Model width D.</param>
/// <param name="Heads">Attention heads (divide D).</param>
/// <param name="Context">Longest sequence T.</param>
public sealed record TransformerConfig(int Vocab, int Layers, int Width, int Heads, int Context)
{
    /// <summary>The MLP kind of every block (default GELU).</summary>
    public MlpSpec Mlp { get; init; } = MlpSpec.Parse("gelu");
    /// <summary>MLP hidden width; null for <see cref="MlpSpec.DefaultHidden"/>.</summary>
    public int? Hidden { get; init; }
    /// <summary>How positions enter.</summary>
    public PositionEncoding Position { get; init; } = PositionEncoding.Learned;
    /// <summary>Pre-norm kind.</summary>
    public NormKind Norm { get; init; } = NormKind.LayerNorm;
    /// <summary>Logits = x·Eᵀ with the token embedding E (Press and Wolf 2017) instead of a separate head.</summary>
    public bool TieWeights { get; init; } = true;
    /// <summary>Biases on the attention's qkv and output projections (GPT-2: yes; Nanda et al.'s grokking model: no).</summary>
    public bool AttentionBias { get; init; } = true;
    /// <summary>Residual dropout after each sub-layer.</summary>
    public float Dropout { get; init; }
    /// <summary>Dropout on attention probabilities.</summary>
    public float AttentionDropout { get; init; }

    /// <summary>Standard deviation of the initial embeddings and Linear weights (nanoGPT: 0.02).</summary>
    public double InitStd { get; init; } = 0.02;
    /// <summary>Divide the residual output projections' init by √(2·Layers) (GPT-2).</summary>
    public bool ScaleResidualInit { get; init; } = true;

    /// <summary>The MLP hidden width in use.</summary>
    public int HiddenWidth => Hidden ?? Mlp.DefaultHidden(Width);

    /// <summary>Checks every bound, naming the field.</summary>
    /// <exception cref="InvalidInputException">A value out of range.</exception>
    public void Validate()
    {
        Check(Vocab is >= 1 and <= 1 << 20, "vocab", Vocab, "[1, 1048576]");
        Check(Layers is >= 1 and <= 256, "layers", Layers, "[1, 256]");
        Check(Width is >= 1 and <= 1 << 14, "width", Width, "[1, 16384]");
        Check(Heads >= 1 && Width % Heads == 0, "heads", Heads, $"a divisor of the width {Width}");
        Check(Context is >= 1 and <= 1 << 14, "ctx", Context, "[1, 16384]");
        Check(HiddenWidth is >= 1 and <= 1 << 16, "hidden", HiddenWidth, "[1, 65536]");
        Check(Position != PositionEncoding.Rotary || Width / Heads % 2 == 0, "heads", Heads, "an even head size for RoPE");
        Check(InitStd > 0 && InitStd <= 10, "init std", InitStd, "(0, 10]");
        Check(Dropout is >= 0f and < 1f, "dropout", Dropout, "[0, 1)");
        Check(AttentionDropout is >= 0f and < 1f, "attention dropout", AttentionDropout, "[0, 1)");
    }

    private static void Check(bool ok, string name, double value, string expected)
    {
        if (!ok) throw new InvalidInputException($"transformer {name} = {value.ToString(CultureInfo.InvariantCulture)}; expected {expected}.", name);
    }
}
