using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// Rotary position embedding (RoPE, Su et al. 2021, https://arxiv.org/abs/2104.09864) applied to the query and key
/// thirds of a packed projection qkv [B, T, 3D]; values pass unchanged. In each head of hd columns the pairs
/// (2i, 2i+1) are rotated by the angle t·θᵢ, θᵢ = base^(−2i/hd), t the position:
/// (a, b) ↦ (a·cos − b·sin, a·sin + b·cos) — the interleaved layout of the paper and of RoFormer (GPT-NeoX and
/// Llama's HF port rotate halves instead; both give the same attention up to a fixed permutation of the weights).
/// Backward is the inverse rotation. q·k then depends on positions only through their difference.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>θ base of the paper.</summary>
    public const double DefaultBase = 10000;

    /// <summary>Rotates q and k of <paramref name="qkv"/> [B, T, 3D] (heads of D/<paramref name="heads"/> columns, an even number).</summary>
    public static Tensor Apply(Tensor qkv, int heads, double thetaBase = DefaultBase)
    {
        ArgumentNullException.ThrowIfNull(qkv);
        if (qkv.Rank != 3 || qkv.Size(2) % 3 != 0)
            throw new ArgumentException($"RoPE expects qkv [B, T, 3D]; got {Shapes.Format(qkv.Shape)}.", nameof(qkv));
        int B = qkv.Size(0), T = qkv.Size(1), D = qkv.Size(2) / 3;
        if (heads <= 0 || D % heads != 0 || (D / heads) % 2 != 0)
            throw new ArgumentException($"RoPE needs heads dividing the width {D} into an even head size; got {heads} heads.", nameof(heads));
        int hd = D / heads;
        var (cos, sin) = Tables(T, hd, thetaBase);
        var x = qkv.Contiguous();
        var y = x.ToArray();
        Rotate(y, B, T, D, hd, cos, sin, inverse: false);
        var result = Tensor.FromArray(y, B, T, 3 * D);
        return Autograd.Record(result, "rope", [x], g =>
        {
            var dx = g.Contiguous().ToArray();
            Rotate(dx, B, T, D, hd, cos, sin, inverse: true);
            return [Tensor.FromArray(dx, B, T, 3 * D)];
        }, saved: []);
    }

    // cos and sin of t·θᵢ for t < T, i < hd/2, computed in double.
    private static (float[] Cos, float[] Sin) Tables(int T, int hd, double thetaBase)
    {
        int half = hd / 2;
        var cos = new float[T * half];
        var sin = new float[T * half];
        for (int t = 0; t < T; t++)
            for (int i = 0; i < half; i++)
            {
                double a = t * Math.Pow(thetaBase, -2.0 * i / hd);
                cos[t * half + i] = (float)Math.Cos(a);
                sin[t * half + i] = (float)Math.Sin(a);
            }
        return (cos, sin);
    }

    private static void Rotate(float[] v, int B, int T, int D, int hd, float[] cos, float[] sin, bool inverse)
    {
        int half = hd / 2;
        float sign = inverse ? -1f : 1f;
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
            {
                int row = (b * T + t) * 3 * D;
                for (int c = 0; c < 2 * D; c += 2)   // q then k: the first 2D columns
                {
                    int i = (c % hd) / 2;
                    float co = cos[t * half + i], si = sign * sin[t * half + i];
                    float a = v[row + c], bb = v[row + c + 1];
                    v[row + c] = a * co - bb * si;
                    v[row + c + 1] = a * si + bb * co;
                }
            }
    }
}
