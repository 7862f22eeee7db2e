namespace Nonlinear.Layers.Transformer;

/// <summary>How a transformer knows token positions.</summary>
public enum PositionEncoding
{
    /// <summary>A trained table [ctx, D] added to the token embeddings (GPT-2).</summary>
    Learned,
    /// <summary>The fixed sines and cosines of Vaswani et al. 2017 added to the token embeddings.</summary>
    Sinusoidal,
    /// <summary>Rotary embedding of queries and keys in every attention layer (<see cref="RotaryEmbedding"/>); nothing is added.</summary>
    Rotary,
}

/// <summary>The normalisation before each sub-layer (pre-norm) and before the head.</summary>
public enum NormKind
{
    /// <summary><see cref="Layers.LayerNorm"/> (GPT-2).</summary>
    LayerNorm,
    /// <summary><see cref="Transformer.RmsNorm"/> (T5, Llama).</summary>
    RmsNorm,
    /// <summary>No normalisation (the grokking model of Nanda et al. 2023).</summary>
    None,
}
