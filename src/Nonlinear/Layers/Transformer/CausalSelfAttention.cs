using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// Multi-head causal self-attention: qkv = x·W_qkv + b ([B, T, 3D], columns q | k | v, head h = columns h·hd …
/// of each), optional RoPE on q and k, the fused <see cref="AttentionOp.SelfAttention"/>, then the output projection
/// <c>proj</c>. The attention probabilities [B, H, T, T] pass through <c>hook_pattern</c> (observation only: what a
/// hook returns there does not change the output, since backward needs the probabilities the op computed).
/// </summary>
public sealed class CausalSelfAttention : Module
{
    /// <summary>Model width D.</summary>
    public int Width { get; }
    /// <summary>Number of heads.</summary>
    public int Heads { get; }
    /// <summary>Whether q and k are rotated by position (RoPE).</summary>
    public bool Rotary { get; }
    /// <summary>Probability of dropping an attention weight in training.</summary>
    public float AttentionDropout { get; }
    /// <summary>Mask stream of attention dropout.</summary>
    public Rng DropoutRng { get; }
    /// <summary>D → 3D.</summary>
    public Linear Qkv { get; }
    /// <summary>D → D.</summary>
    public Linear Proj { get; }
    /// <summary>The attention pattern P [B, H, T, T].</summary>
    public HookPoint HookPattern { get; }

    /// <summary>Attention over <paramref name="width"/> features in <paramref name="heads"/> heads.</summary>
    /// <param name="width">Model width D.</param>
    /// <param name="heads">Number of heads (divides D).</param>
    /// <param name="rng">Initial weights.</param>
    /// <param name="rotary">RoPE on q and k.</param>
    /// <param name="attentionDropout">Dropout on the attention probabilities (training only).</param>
    /// <param name="dropoutSeed">Seed of the dropout masks.</param>
    /// <param name="bias">Biases on the qkv and output projections.</param>
    public CausalSelfAttention(int width, int heads, Rng rng, bool rotary = false, float attentionDropout = 0f, ulong dropoutSeed = 0, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (heads <= 0 || width % heads != 0) throw new ArgumentException($"heads must be > 0 and divide the width {width}; got {heads}.", nameof(heads));
        if (rotary && (width / heads) % 2 != 0) throw new ArgumentException($"RoPE needs an even head size; width {width} / {heads} heads = {width / heads}.", nameof(rotary));
        if (!(attentionDropout >= 0f && attentionDropout < 1f)) throw new ArgumentException($"attentionDropout must be in [0, 1); got {attentionDropout}.", nameof(attentionDropout));
        Width = width;
        Heads = heads;
        Rotary = rotary;
        AttentionDropout = attentionDropout;
        DropoutRng = new Rng(dropoutSeed);
        Qkv = RegisterModule("qkv", new Linear(width, 3 * width, rng, bias));
        HookPattern = RegisterModule("hook_pattern", new HookPoint());
        Proj = RegisterModule("proj", new Linear(width, width, rng, bias));
    }

    /// <summary>Key padding mask [B·T] (true = padding) applied by the next <see cref="Forward"/> calls; null for none.</summary>
    public bool[]? KeyPadding { get; set; }

    /// <summary>x [B, T, D] → [B, T, D].</summary>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Size(2) != Width)
            throw new ArgumentException($"attention expects [B, T, {Width}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        var qkv = Qkv.Call(x);
        if (Rotary) qkv = RotaryEmbedding.Apply(qkv, Heads);
        float p = IsTraining ? AttentionDropout : 0f;
        var y = AttentionOp.SelfAttention(qkv, Heads, causal: true, KeyPadding, p, p > 0 ? DropoutRng : null, out var pattern);
        HookPattern.Call(pattern);
        return Proj.Call(y);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"width={Width}, heads={Heads}, rotary={PyBool(Rotary)}, attn_dropout={PyFloat(AttentionDropout)}";
}
