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
    /// with P ⊙ <paramref name="dropScale"/>, and <paramref name="output"/> [B, T, D].
    /// </summary>
    /// <param name="keyPadding">[B, T], true where a key is padding (torch's key_padding_mask), or null.</param>
    public static void Forward(float[] qkv, Dims d, float scale, bool causal, bool[]? keyPadding,
        float[] probs, float[]? dropScale, float[]? dropped, float[] output)
    {
        int T = d.Time, hd = d.HeadDim, D = d.Model, ld = 3 * D;
        Parallelism.For(d.Batch * d.Heads, bh =>
        {
            int b = bh / d.Heads, h = bh % d.Heads;
            int qOff = b * T * ld + h * hd, kOff = qOff + D, vOff = qOff + 2 * D;
            var p = probs.AsSpan(bh * d.TT, d.TT);
            Gemm.Sgemm(SimdTier.Auto, 1, false, true, T, T, hd, scale, qkv.AsSpan(qOff), ld, qkv.AsSpan(kOff), ld, 0f, p, T);
            for (int i = 0; i < T; i++) SoftmaxRow(p.Slice(i * T, T), causal ? i + 1 : T, keyPadding, b * T);
            var pv = p;
            if (dropScale is not null)
            {
                pv = dropped.AsSpan(bh * d.TT, d.TT);
                var m = dropScale.AsSpan(bh * d.TT, d.TT);
                for (int i = 0; i < pv.Length; i++) pv[i] = p[i] * m[i];
            }
            Gemm.Sgemm(SimdTier.Auto, 1, false, false, T, hd, T, 1f, pv, T, qkv.AsSpan(vOff), ld, 0f, output.AsSpan(b * T * D + h * hd), D);
        });
    }

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
    /// Backward: from dO [B, T, D] writes dqkv [B, T, 3D]. With P̃ = P ⊙ M: dV = P̃ᵀ·dO, dP̃ = dO·Vᵀ, dP = dP̃ ⊙ M,
    /// dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = scale·dS·K, dK = scale·dSᵀ·Q. <paramref name="scratch"/> needs
    /// (B·H)·T·T floats (one T×T per head in flight).
    /// </summary>
    public static void Backward(float[] qkv, Dims d, float scale, float[] probs, float[]? dropScale, float[]? dropped,
        float[] gradOut, float[] gradQkv, float[] scratch)
    {
        int T = d.Time, hd = d.HeadDim, D = d.Model, ld = 3 * D;
        Parallelism.For(d.Batch * d.Heads, bh =>
        {
            int b = bh / d.Heads, h = bh % d.Heads;
            int qOff = b * T * ld + h * hd, kOff = qOff + D, vOff = qOff + 2 * D, oOff = b * T * D + h * hd;
            var p = probs.AsSpan(bh * d.TT, d.TT);
            ReadOnlySpan<float> pv = dropScale is null ? p : dropped.AsSpan(bh * d.TT, d.TT);
            var dp = scratch.AsSpan(bh * d.TT, d.TT);
            Gemm.Sgemm(SimdTier.Auto, 1, true, false, T, hd, T, 1f, pv, T, gradOut.AsSpan(oOff), D, 0f, gradQkv.AsSpan(vOff), ld);
            Gemm.Sgemm(SimdTier.Auto, 1, false, true, T, T, hd, 1f, gradOut.AsSpan(oOff), D, qkv.AsSpan(vOff), ld, 0f, dp, T);
            if (dropScale is not null)
            {
                var m = dropScale.AsSpan(bh * d.TT, d.TT);
                for (int i = 0; i < dp.Length; i++) dp[i] *= m[i];
            }
            for (int i = 0; i < T; i++)
            {
                var pr = p.Slice(i * T, T);
                var dr = dp.Slice(i * T, T);
                double dot = 0;
                for (int j = 0; j < T; j++) dot += (double)pr[j] * dr[j];
                float fd = (float)dot;
                for (int j = 0; j < T; j++) dr[j] = pr[j] * (dr[j] - fd);
            }
            Gemm.Sgemm(SimdTier.Auto, 1, false, false, T, hd, T, scale, dp, T, qkv.AsSpan(kOff), ld, 0f, gradQkv.AsSpan(qOff), ld);
            Gemm.Sgemm(SimdTier.Auto, 1, true, false, T, hd, T, scale, dp, T, qkv.AsSpan(qOff), ld, 0f, gradQkv.AsSpan(kOff), ld);
        });
    }
}
