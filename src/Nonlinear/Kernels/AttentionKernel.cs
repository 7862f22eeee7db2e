namespace Nonlinear.Kernels;

/// <summary>
/// Fused multi-head scaled dot-product attention on the packed projection qkv [B, T, 3D] (q, k, v side by side, head
/// h in columns h·hd … h·hd + hd − 1 of each third) with output [B, T, D]. Per (batch, head):
/// S = scale·Q·Kᵀ, masked keys (causal j &gt; i, padded) get −∞, P = softmax rows (max subtracted), optional dropout
/// P̃ = P ⊙ M, O = P̃·V. Q, K, V and O are read and written in place through leading dimensions, never copied into
/// per-head tensors; the only T×T array kept is P (and P̃ under dropout), which backward needs.
/// A query row whose keys are all masked gets probabilities 0 and output 0 (torch gives NaN there).
/// </summary>
internal static class AttentionKernel
{
    /// <summary>Shapes of one call.</summary>
    internal readonly record struct Dims(int Batch, int Time, int Heads, int HeadDim)
    {
        public int Model => Heads * HeadDim;
        public int TT => Time * Time;
    }

    /// <summary>
    /// Forward: fills <paramref name="probs"/> [B, H, T, T] with P, <paramref name="dropped"/> (same size, or empty)
    /// with P ⊙ <paramref name="dropScale"/>, and <paramref name="output"/> [B, T, D]. Under the causal mask the
    /// rows run in blocks of <see cref="CausalBlock"/> queries that score and sum only the keys up to the block's last
    /// query (the upper triangle is never computed: ~5/8 of the products at T = 128).
    /// </summary>
    /// <param name="qkv">[B, T, 3D].</param>
    /// <param name="d">Shapes.</param>
    /// <param name="scale">Multiplies q·k (1/√hd).</param>
    /// <param name="causal">Mask keys after each query.</param>
    /// <param name="keyPadding">[B, T], true where a key is padding (torch's key_padding_mask), or null.</param>
    /// <param name="probs">Receives P.</param>
    /// <param name="dropScale">Dropout multipliers (0 or 1/(1−p)) per probability, or null.</param>
    /// <param name="dropped">Receives P ⊙ dropScale when dropping.</param>
    /// <param name="output">Receives O [B, T, D].</param>
    public static void Forward(float[] qkv, Dims d, float scale, bool causal, bool[]? keyPadding,
        float[] probs, float[]? dropScale, float[]? dropped, float[] output)
    {
        int T = d.Time, hd = d.HeadDim, D = d.Model, ld = 3 * D;
        int rb = causal ? CausalBlock : T;
        Parallelism.For(d.Batch * d.Heads, bh =>
        {
            int b = bh / d.Heads, h = bh % d.Heads;
            int qOff = b * T * ld + h * hd, kOff = qOff + D, vOff = qOff + 2 * D;
            var p = probs.AsSpan(bh * d.TT, d.TT);
            for (int r0 = 0; r0 < T; r0 += rb)
            {
                int rows = Math.Min(rb, T - r0), keys = causal ? r0 + rows : T;
                Gemm.Sgemm(SimdTier.Auto, 1, false, true, rows, keys, hd, scale, qkv.AsSpan(qOff + r0 * ld), ld, qkv.AsSpan(kOff), ld, 0f, p[(r0 * T)..], T);
                for (int i = r0; i < r0 + rows; i++) SoftmaxRow(p.Slice(i * T, T), causal ? i + 1 : T, keyPadding, b * T);
                Span<float> pv = p;
                if (dropScale is not null)
                {
                    pv = dropped.AsSpan(bh * d.TT, d.TT);
                    var m = dropScale.AsSpan(bh * d.TT, d.TT);
                    for (int i = r0 * T; i < (r0 + rows) * T; i++) pv[i] = p[i] * m[i];
                }
                Gemm.Sgemm(SimdTier.Auto, 1, false, false, rows, hd, keys, 1f, pv[(r0 * T)..], T, qkv.AsSpan(vOff), ld, 0f,
                    output.AsSpan(b * T * D + r0 * D + h * hd), D);
            }
        });
    }

    /// <summary>Queries per block of the causal path (32: the GEMMs stay large enough to run at full rate).</summary>
    internal const int CausalBlock = 32;

    // Softmax over the first `valid` entries that are not padding; the rest of the row becomes 0.
    private static void SoftmaxRow(Span<float> row, int valid, bool[]? pad, int padBase)
    {
        int kept = 0;
        if (pad is not null)
        {
            for (int j = 0; j < valid; j++)
                if (pad[padBase + j]) row[j] = float.NegativeInfinity; else kept++;
        }
        else kept = valid;
        if (kept == 0) row.Clear();
        else SoftmaxRows.Softmax(row[..valid], row[..valid]);
        row[valid..].Clear();
    }

    /// <summary>
    /// Backward: from dO [B, T, D] writes dqkv [B, T, 3D] (which must arrive zeroed: the causal blocks add into dK
    /// and dV). With P̃ = P ⊙ M: dV = P̃ᵀ·dO, dP̃ = dO·Vᵀ, dP = dP̃ ⊙ M, dS = P ⊙ (dP − rowsum(P ⊙ dP)),
    /// dQ = scale·dS·K, dK = scale·dSᵀ·Q, by the forward's query blocks under the causal mask (no product above the
    /// diagonal block). <paramref name="scratch"/> needs (B·H)·T·T floats (one T×T per head in flight).
    /// </summary>
    public static void Backward(float[] qkv, Dims d, float scale, bool causal, float[] probs, float[]? dropScale, float[]? dropped,
        float[] gradOut, float[] gradQkv, float[] scratch)
    {
        int T = d.Time, hd = d.HeadDim, D = d.Model, ld = 3 * D;
        int rb = causal ? CausalBlock : T;
        Parallelism.For(d.Batch * d.Heads, bh =>
        {
            int b = bh / d.Heads, h = bh % d.Heads;
            int qOff = b * T * ld + h * hd, kOff = qOff + D, vOff = qOff + 2 * D, oOff = b * T * D + h * hd;
            var p = probs.AsSpan(bh * d.TT, d.TT);
            ReadOnlySpan<float> pv = dropScale is null ? p : dropped.AsSpan(bh * d.TT, d.TT);
            var dp = scratch.AsSpan(bh * d.TT, d.TT);
            for (int r0 = 0; r0 < T; r0 += rb)
            {
                int rows = Math.Min(rb, T - r0), keys = causal ? r0 + rows : T;
                var go = gradOut.AsSpan(oOff + r0 * D);
                // dV[0..keys) += P̃[block, 0..keys)ᵀ·dO[block]
                Gemm.Sgemm(SimdTier.Auto, 1, true, false, keys, hd, rows, 1f, pv[(r0 * T)..], T, go, D, 1f, gradQkv.AsSpan(vOff), ld);
                Gemm.Sgemm(SimdTier.Auto, 1, false, true, rows, keys, hd, 1f, go, D, qkv.AsSpan(vOff), ld, 0f, dp[(r0 * T)..], T);
                for (int i = r0; i < r0 + rows; i++)
                {
                    var pr = p.Slice(i * T, keys);
                    var dr = dp.Slice(i * T, keys);
                    if (dropScale is not null)
                    {
                        var m = dropScale.AsSpan(bh * d.TT + i * T, keys);
                        for (int j = 0; j < keys; j++) dr[j] *= m[j];
                    }
                    double dot = 0;
                    for (int j = 0; j < keys; j++) dot += (double)pr[j] * dr[j];
                    float fd = (float)dot;
                    // P is 0 past the query (and on padded keys), so dS is 0 there as the next two products need.
                    for (int j = 0; j < keys; j++) dr[j] = pr[j] * (dr[j] - fd);
                }
                Gemm.Sgemm(SimdTier.Auto, 1, false, false, rows, hd, keys, scale, dp[(r0 * T)..], T, qkv.AsSpan(kOff), ld, 0f, gradQkv.AsSpan(qOff + r0 * ld), ld);
                Gemm.Sgemm(SimdTier.Auto, 1, true, false, keys, hd, rows, scale, dp[(r0 * T)..], T, qkv.AsSpan(qOff + r0 * ld), ld, 1f, gradQkv.AsSpan(kOff), ld);
            }
        });
    }
}
