using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// A pre-norm decoder block (GPT-2): r_mid = r + drop(attn(norm1(r))), r_post = r_mid + drop(mlp(norm2(r_mid))).
/// The residual stream passes through <c>hook_resid_pre</c>, <c>hook_resid_mid</c> and <c>hook_resid_post</c>
/// (TransformerLens's names); the attention pattern is <c>attn.hook_pattern</c>, the MLP activations <c>mlp.hook_post</c>.
/// </summary>
public sealed class TransformerBlock : Module
{
    private readonly Module? _norm1, _norm2;
    private readonly Dropout? _dropAttn, _dropMlp;

    /// <summary>The attention sub-layer.</summary>
    public CausalSelfAttention Attention { get; }
    /// <summary>The MLP sub-layer.</summary>
    public FeedForward Mlp { get; }
    /// <summary>Residual stream entering the block.</summary>
    public HookPoint HookResidPre { get; }
    /// <summary>Residual stream between attention and MLP.</summary>
    public HookPoint HookResidMid { get; }
    /// <summary>Residual stream leaving the block.</summary>
    public HookPoint HookResidPost { get; }

    /// <summary>One block of width <paramref name="width"/>.</summary>
    /// <param name="width">Model width D.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="mlp">MLP kind.</param>
    /// <param name="hidden">MLP hidden width.</param>
    /// <param name="norm">Normalisation before each sub-layer.</param>
    /// <param name="rotary">RoPE in attention.</param>
    /// <param name="dropout">Residual dropout after each sub-layer (training only).</param>
    /// <param name="attentionDropout">Dropout on the attention probabilities.</param>
    /// <param name="rng">Initial weights.</param>
    /// <param name="dropoutSeed">Seed of this block's dropout masks.</param>
    /// <param name="attentionBias">Biases on the attention projections.</param>
    public TransformerBlock(int width, int heads, MlpSpec mlp, int hidden, NormKind norm, bool rotary, float dropout, float attentionDropout, Rng rng, ulong dropoutSeed = 0, bool attentionBias = true)
    {
        if (!(dropout >= 0f && dropout < 1f)) throw new ArgumentException($"dropout must be in [0, 1); got {dropout}.", nameof(dropout));
        HookResidPre = RegisterModule("hook_resid_pre", new HookPoint());
        if (norm != NormKind.None) _norm1 = RegisterModule("norm1", MakeNorm(norm, width));
        Attention = RegisterModule("attn", new CausalSelfAttention(width, heads, rng, rotary, attentionDropout, dropoutSeed * 3 + 1, attentionBias));
        HookResidMid = RegisterModule("hook_resid_mid", new HookPoint());
        if (norm != NormKind.None) _norm2 = RegisterModule("norm2", MakeNorm(norm, width));
        Mlp = RegisterModule("mlp", new FeedForward(width, hidden, mlp, rng));
        HookResidPost = RegisterModule("hook_resid_post", new HookPoint());
        if (dropout > 0f)
        {
            _dropAttn = RegisterModule("drop_attn", new Dropout(dropout, dropoutSeed * 3 + 2));
            _dropMlp = RegisterModule("drop_mlp", new Dropout(dropout, dropoutSeed * 3 + 3));
        }
    }

    internal static Module MakeNorm(NormKind norm, int width) => norm switch
    {
        NormKind.LayerNorm => new LayerNorm(width),
        NormKind.RmsNorm => new RmsNorm(width),
        _ => throw new ArgumentOutOfRangeException(nameof(norm), norm, "no module for this normalisation."),
    };

    /// <summary>The residual stream [B, T, D] → [B, T, D].</summary>
    public override Tensor Forward(Tensor x)
    {
        var r = HookResidPre.Call(x);
        var a = Attention.Call(_norm1 is null ? r : _norm1.Call(r));
        if (_dropAttn is not null) a = _dropAttn.Call(a);
        r = HookResidMid.Call(Ops.Add(r, a));
        var m = Mlp.Call(_norm2 is null ? r : _norm2.Call(r));
        if (_dropMlp is not null) m = _dropMlp.Call(m);
        return HookResidPost.Call(Ops.Add(r, m));
    }
}
