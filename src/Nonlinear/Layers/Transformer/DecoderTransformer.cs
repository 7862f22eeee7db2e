using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// A decoder-only transformer language model (GPT-2 layout, Radford et al. 2019): token embedding (+ positions),
/// <see cref="TransformerBlock"/>s, a final norm and a head (tied to the embedding by default) giving logits
/// [B, T, Vocab]. Initialisation as nanoGPT: embeddings and Linear weights N(0, σ²) (σ = InitStd, 0.02), the residual output
/// projections N(0, (σ/√(2L))²) unless ScaleResidualInit is off, biases 0. Hook points: <c>hook_embed</c>, <c>blocks.i.hook_resid_pre|mid|post</c>,
/// <c>blocks.i.attn.hook_pattern</c>, <c>blocks.i.mlp.hook_post</c>, <c>hook_final</c> (the normalised stream).
/// </summary>
public sealed class DecoderTransformer : Module
{
    private readonly Tensor? _positions;   // learned parameter or sinusoidal buffer; null under RoPE
    private readonly Module? _normFinal;
    private readonly Linear? _head;

    /// <summary>The configuration it was built from.</summary>
    public TransformerConfig Config { get; }
    /// <summary>Token embedding [Vocab, D].</summary>
    public Embedding TokenEmbedding { get; }
    /// <summary>The blocks, children "0" … "L−1" of "blocks".</summary>
    public Sequential Blocks { get; }

    /// <summary>Builds the model with weights drawn from <paramref name="rng"/>; dropout masks are seeded by <paramref name="dropoutSeed"/>.</summary>
    /// <exception cref="InvalidInputException">A configuration value out of range.</exception>
    public DecoderTransformer(TransformerConfig config, Rng rng, ulong dropoutSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rng);
        config.Validate();
        Config = config;
        int d = config.Width;
        TokenEmbedding = RegisterModule("tok_emb", new Embedding(config.Vocab, d, rng, std: config.InitStd));
        if (config.Position == PositionEncoding.Learned) _positions = RegisterParameter("pos_emb", Normal(rng, config.InitStd, config.Context, d));
        else if (config.Position == PositionEncoding.Sinusoidal) _positions = RegisterBuffer("pos_table", SinusoidalPositions.Table(config.Context, d));
        RegisterModule("hook_embed", new HookPoint());
        var blocks = new Module[config.Layers];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = new TransformerBlock(d, config.Heads, config.Mlp, config.HiddenWidth, config.Norm, config.Position == PositionEncoding.Rotary,
                config.Dropout, config.AttentionDropout, rng, dropoutSeed + (ulong)i, config.AttentionBias);
        Blocks = RegisterModule("blocks", new Sequential(blocks));
        if (config.Norm != NormKind.None) _normFinal = RegisterModule("norm_f", TransformerBlock.MakeNorm(config.Norm, d));
        RegisterModule("hook_final", new HookPoint());
        if (!config.TieWeights) _head = RegisterModule("head", new Linear(d, config.Vocab, rng, bias: false));
        InitLikeGpt2(rng);
    }

    private static Tensor Normal(Rng rng, double std, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = (float)(std * rng.NextGaussian());
        return t;
    }

    // nanoGPT's init, drawn after construction so the layer constructors' own draws do not matter for the result.
    private void InitLikeGpt2(Rng rng)
    {
        double std0 = Config.InitStd, resid = Config.ScaleResidualInit ? std0 / Math.Sqrt(2 * Config.Layers) : std0;
        foreach (var (name, t) in NamedParameters())
        {
            if (name.StartsWith("tok_emb", StringComparison.Ordinal) || name == "pos_emb") continue;
            var s = t.AsSpan();
            if (name.EndsWith(".bias", StringComparison.Ordinal)) { if (!name.Contains("norm", StringComparison.Ordinal)) s.Clear(); continue; }
            if (t.Rank != 2) continue;   // norm weights stay 1, learnable activation parameters keep their init
            double std = name.EndsWith("attn.proj.weight", StringComparison.Ordinal) || name.EndsWith("mlp.fc_out.weight", StringComparison.Ordinal) ? resid : std0;
            for (int i = 0; i < s.Length; i++) s[i] = (float)(std * rng.NextGaussian());
        }
    }

    /// <summary>Token ids [B, T] as whole-number floats → logits [B, T, Vocab].</summary>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2) throw new ArgumentException($"the transformer expects token ids [B, T]; got {Shapes.Format(x.Shape)}.", nameof(x));
        var v = x.ToArray();
        var ids = new int[v.Length];
        for (int i = 0; i < v.Length; i++) ids[i] = (int)v[i];
        return Logits(ids, x.Size(0), x.Size(1));
    }

    /// <summary>Logits [B, T, Vocab] for <paramref name="ids"/> (B·T ids, row-major).</summary>
    /// <exception cref="ArgumentException">T is longer than the context, or an id is outside the vocabulary.</exception>
    public Tensor Logits(int[] ids, int batch, int time)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (time < 1 || time > Config.Context) throw new ArgumentException($"sequence length {time} is not in [1, {Config.Context}] (the context).", nameof(time));
        var x = TokenEmbedding.Lookup(ids, batch, time);
        if (_positions is not null) x = Ops.Add(x, Ops.Slice(_positions, 0, 0, time));
        x = GetSubmodule("hook_embed").Call(x);
        x = Blocks.Call(x);
        if (_normFinal is not null) x = _normFinal.Call(x);
        x = GetSubmodule("hook_final").Call(x);
        return _head is not null ? _head.Call(x) : Ops.MatMul(x, Ops.Transpose(TokenEmbedding.Weight, 0, 1));
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"layers={Config.Layers}, width={Config.Width}, heads={Config.Heads}, ctx={Config.Context}, mlp={Config.Mlp}, pos={Config.Position}, norm={Config.Norm}, tied={PyBool(Config.TieWeights)}";
}
