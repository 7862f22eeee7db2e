using System.Buffers;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>Fused attention ops of the transformer layers (the composition from primitives is the specification in the tests).</summary>
public static class AttentionOp
{
    /// <summary>
    /// Multi-head scaled dot-product self-attention on a packed projection: <paramref name="qkv"/> [B, T, 3D] holds
    /// q, k and v side by side, each split into <paramref name="heads"/> heads of D/heads columns. Returns [B, T, D],
    /// the heads' outputs concatenated (the input of the output projection). Per head:
    /// softmax(q·kᵀ/√hd + mask)·v, with −∞ for keys after the query when <paramref name="causal"/> and for keys marked
    /// in <paramref name="keyPadding"/>; equivalent to torch.nn.functional.scaled_dot_product_attention(q, k, v,
    /// is_causal=causal, dropout_p=dropout) except that a query with every key masked outputs 0 (torch: NaN).
    /// One op with a hand-written backward; <paramref name="pattern"/> receives P [B, H, T, T] (before dropout;
    /// read it, do not write it: backward uses it).
    /// </summary>
    /// <param name="qkv">[B, T, 3D].</param>
    /// <param name="heads">Number of heads; must divide D.</param>
    /// <param name="causal">Mask keys after each query (decoder self-attention).</param>
    /// <param name="keyPadding">[B·T] row-major, true where the key is padding (torch's key_padding_mask), or null.</param>
    /// <param name="dropout">Probability of dropping an attention weight (inverted dropout, training only).</param>
    /// <param name="rng">Source of the dropout mask; required when <paramref name="dropout"/> &gt; 0.</param>
    /// <param name="pattern">The attention probabilities P [B, H, T, T].</param>
    public static Tensor SelfAttention(Tensor qkv, int heads, bool causal, bool[]? keyPadding, float dropout, Rng? rng, out Tensor pattern)
    {
        ArgumentNullException.ThrowIfNull(qkv);
        if (qkv.Rank != 3 || qkv.Size(2) % 3 != 0)
            throw new ArgumentException($"attention expects qkv [B, T, 3D]; got {Shapes.Format(qkv.Shape)}.", nameof(qkv));
        int B = qkv.Size(0), T = qkv.Size(1), D = qkv.Size(2) / 3;
        if (heads <= 0 || D % heads != 0) throw new ArgumentException($"heads must be > 0 and divide the width {D}; got {heads}.", nameof(heads));
        if (keyPadding is not null && keyPadding.Length != B * T)
            throw new ArgumentException($"keyPadding has {keyPadding.Length} entries; expected B·T = {B * T}.", nameof(keyPadding));
        if (!(dropout >= 0f && dropout < 1f)) throw new ArgumentException($"dropout must be in [0, 1); got {dropout}.", nameof(dropout));
        if (dropout > 0f && rng is null) throw new ArgumentNullException(nameof(rng), "attention dropout needs an Rng.");
        var d = new AttentionKernel.Dims(B, T, heads, D / heads);
        float scale = 1f / MathF.Sqrt(d.HeadDim);
        var x = qkv.Contiguous();
        var xs = x.Offset == 0 && x.Storage.Length == x.Length ? x.Storage : x.ToArray();
        var patternT = TensorArena.Empty([B, heads, T, T]);
        var probs = patternT.Storage;
        float[]? dropScale = null, dropped = null;
        if (dropout > 0f)
        {
            dropScale = new float[probs.Length];
            dropped = GC.AllocateUninitializedArray<float>(probs.Length);
            float keep = 1f / (1f - dropout);
            for (int i = 0; i < dropScale.Length; i++) dropScale[i] = rng!.NextFloat() >= dropout ? keep : 0f;
        }
        var y = TensorArena.Empty([B, T, D]);
        AttentionKernel.Forward(xs, d, scale, causal, keyPadding, probs, dropScale, dropped, y.Storage);
        pattern = patternT;
        return Autograd.Record(y, "self_attention", [x], g =>
        {
            // Through the tensors, not the captured arrays: throws if a closed TensorArena scope took them back.
            _ = patternT.Storage;
            _ = x.Storage;
            var go = g.Contiguous();
            var gs = go.Offset == 0 && go.Storage.Length == go.Length ? go.Storage : go.ToArray();
            var dqkvT = TensorArena.ZeroFilled([B, T, 3 * D]);   // zeroed: the kernel adds into dK and dV
            var dqkv = dqkvT.Storage;
            // The T×T scratch lives only for this call: rented, not allocated per step.
            var scratch = ArrayPool<float>.Shared.Rent(probs.Length);
            try { AttentionKernel.Backward(xs, d, scale, causal, probs, dropScale, dropped, gs, dqkv, scratch); }
            finally { ArrayPool<float>.Shared.Return(scratch); }
            return [dqkvT];
        });
    }
}
