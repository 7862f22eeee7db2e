using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

public static partial class Ops
{
    /// <summary>
    /// Inverted dropout (torch.nn.functional.dropout): in training each element is zeroed with probability p
    /// and the rest are scaled by 1/(1−p), so the expectation is unchanged; backward multiplies g by the same
    /// mask. Returns x itself when not training or p = 0. Element i is kept when the i-th draw of
    /// <paramref name="rng"/>.NextFloat() is ≥ p (row-major order), so a seed fixes the mask.
    /// </summary>
    /// <exception cref="ArgumentException">p is outside [0, 1) or NaN.</exception>
    public static Tensor Dropout(Tensor x, float p, bool training, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p < 1f))
            throw new ArgumentException($"dropout probability p must be in [0, 1); got {p}.", nameof(p));
        if (!training || p == 0f) return x;
        float scale = 1f / (1f - p);
        var mask = new float[x.Length];
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextFloat() >= p ? scale : 0f;
        var shape = x.Shape.ToArray();
        var m = new Tensor(mask, shape);
        Tensor y;
        using (Autograd.NoGrad()) y = Mul(x, m);
        return Autograd.RecordComposed(y, "dropout", [x], g => [Mul(g, m)], saved: []);
    }
}
