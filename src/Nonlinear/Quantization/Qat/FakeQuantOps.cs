using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization.Qat;

/// <summary>
/// The fake-quantization ops of quantization-aware training, each with its forward and its straight-through backward
/// side by side. Forwards round exactly as the int8 inference path does (float division, round half to even, clamp
/// against integer bounds, float dequantization), so at 8 bits a fake-quantized tensor is bit for bit the
/// quantize→dequantize of <see cref="QuantizedLinear.QuantizeWeights"/> and <see cref="ActivationQuantization"/>.
/// </summary>
internal static class FakeQuantOps
{
    /// <summary>
    /// Per-output-channel symmetric fake quantization of W [out, in] at <paramref name="bits"/>: Q = 2^(bits−1) − 1,
    /// s_j = max|W[j, :]|/Q (1 for an all-zero row), Ŵ = s_j·clamp(round(W/s_j), −Q, Q). Backward: the straight-through
    /// estimator ∂Ŵ/∂W = 1 (the scale is a statistic of W, not differentiated, as torch's per-channel min-max fake quant;
    /// no weight lies outside the range it defines, so there is no clipping mask).
    /// </summary>
    public static Tensor PerChannelSymmetric(Tensor w, int bits)
    {
        if (w.Rank != 2) throw new ArgumentException($"per-channel weights must be [out, in]; got {Shapes.Format(w.Shape)}.", nameof(w));
        int rows = w.Size(0), cols = w.Size(1);
        float q = (1 << (bits - 1)) - 1;
        var src = w.Contiguous().AsReadOnlySpan();
        var y = new float[src.Length];
        for (int j = 0; j < rows; j++)
        {
            var row = src.Slice(j * cols, cols);
            float max = 0;
            foreach (float v in row) max = Math.Max(max, Math.Abs(v));
            float s = max > 0 ? max / q : 1f;
            // Through int like the int8 codes, so a negative value that rounds to 0 gives +0 (s·0), not −0.
            for (int k = 0; k < cols; k++) y[j * cols + k] = s * (int)Math.Clamp(MathF.Round(row[k] / s), -q, q);
        }
        var result = Tensor.FromArray(y, rows, cols);
        return Autograd.Record(result, "fake_quant_per_channel", [w], g => [g], saved: []);
    }

    /// <summary>
    /// Per-tensor asymmetric fake quantization: c = round(x/scale) + zeroPoint, x̂ = scale·(clamp(c, 0, qmax) − zeroPoint).
    /// Backward (torch's fake_quantize rule): ∂x̂/∂x = 1 where 0 ≤ c ≤ qmax, else 0 (clipped values get no gradient).
    /// </summary>
    public static Tensor PerTensorAffine(Tensor x, float scale, int zeroPoint, int qmax)
    {
        var src = x.Contiguous().AsReadOnlySpan();
        var y = new float[src.Length];
        var pass = new bool[src.Length];
        float lo = -zeroPoint, hi = qmax - zeroPoint;
        for (int i = 0; i < src.Length; i++)
        {
            float v = MathF.Round(src[i] / scale);
            // NaN clamps to the top code, as Int8Requantize.Quantize does.
            pass[i] = v >= lo && v <= hi;
            float c = float.IsNaN(v) ? hi : Math.Clamp(v, lo, hi);
            y[i] = scale * (int)c; // through int, as a code: −0 becomes +0
        }
        var result = Tensor.FromArray(y, x.Shape.ToArray());
        return Autograd.Record(result, "fake_quant_per_tensor", [x], g => [Mask(g, pass, 1f)], saved: []);
    }

    /// <summary>
    /// Binary activation: b(x) = +1 for x &gt; 0, −1 otherwise (0 maps to −1, so ReLU's zeros stay distinct from its
    /// positive outputs). Backward: the clipped straight-through estimator of BinaryNet (Courbariaux et al. 2016),
    /// ∂b/∂x = 1 for |x| ≤ 1, else 0.
    /// </summary>
    public static Tensor Binary(Tensor x)
    {
        var src = x.Contiguous().AsReadOnlySpan();
        var y = new float[src.Length];
        var pass = new bool[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            y[i] = src[i] > 0 ? 1f : -1f;
            pass[i] = Math.Abs(src[i]) <= 1;
        }
        return Autograd.Record(Tensor.FromArray(y, x.Shape.ToArray()), "binary", [x], g => [Mask(g, pass, 1f)], saved: []);
    }

    /// <summary>
    /// Ternary activation: t(x) = +1 for x &gt; delta, −1 for x &lt; −delta, 0 otherwise. Backward: ∂t/∂x = 1 for |x| ≤ 1, else 0
    /// (the same clipped straight-through estimator as <see cref="Binary"/>).
    /// </summary>
    public static Tensor Ternary(Tensor x, float delta)
    {
        var src = x.Contiguous().AsReadOnlySpan();
        var y = new float[src.Length];
        var pass = new bool[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            y[i] = src[i] > delta ? 1f : src[i] < -delta ? -1f : 0f;
            pass[i] = Math.Abs(src[i]) <= 1;
        }
        return Autograd.Record(Tensor.FromArray(y, x.Shape.ToArray()), "ternary", [x], g => [Mask(g, pass, 1f)], saved: []);
    }

    /// <summary>
    /// XNOR-Net binary weights (Rastegari et al. 2016): Ŵ[j, k] = α_j·sgn(W[j, k]) with α_j = mean_k |W[j, k]| per output
    /// channel and sgn(0) = +1. Backward: the exact derivative through α_j plus the clipped straight-through estimator
    /// for sgn, ∂L/∂W[j, k] = g[j, k]·α_j·1{|W[j, k]| ≤ 1} + sgn(W[j, k])/n·Σ_k′ g[j, k′]·sgn(W[j, k′]) (n = in features).
    /// </summary>
    public static Tensor BinaryWeights(Tensor w)
    {
        if (w.Rank != 2) throw new ArgumentException($"binary weights must be [out, in]; got {Shapes.Format(w.Shape)}.", nameof(w));
        int rows = w.Size(0), cols = w.Size(1);
        var src = w.Contiguous().ToArray();
        var alpha = new float[rows];
        var y = new float[src.Length];
        for (int j = 0; j < rows; j++)
        {
            double sum = 0;
            for (int k = 0; k < cols; k++) sum += Math.Abs(src[j * cols + k]);
            alpha[j] = (float)(sum / cols);
            for (int k = 0; k < cols; k++) y[j * cols + k] = src[j * cols + k] >= 0 ? alpha[j] : -alpha[j];
        }
        return Autograd.Record(Tensor.FromArray(y, rows, cols), "binary_weights", [w], g =>
        {
            var gs = g.Contiguous().AsReadOnlySpan();
            var dw = new float[src.Length];
            for (int j = 0; j < rows; j++)
            {
                double dot = 0;
                for (int k = 0; k < cols; k++) dot += gs[j * cols + k] * (src[j * cols + k] >= 0 ? 1.0 : -1.0);
                for (int k = 0; k < cols; k++)
                {
                    float wv = src[j * cols + k];
                    double ste = Math.Abs(wv) <= 1 ? gs[j * cols + k] * (double)alpha[j] : 0;
                    dw[j * cols + k] = (float)(ste + (wv >= 0 ? 1 : -1) * dot / cols);
                }
            }
            return [Tensor.FromArray(dw, rows, cols)];
        }, saved: []);
    }

    /// <summary>
    /// Ternary weight networks (Li et al. 2016): per output channel Δ_j = 0.7·mean_k |W[j, k]|, α_j = the mean of |W[j, k]|
    /// over |W[j, k]| &gt; Δ_j, Ŵ[j, k] = α_j·sgn(W[j, k])·1{|W[j, k]| &gt; Δ_j}. Backward: the straight-through estimator
    /// ∂Ŵ/∂W = 1, as TWN trains its full-precision weights with the gradient of the ternary ones.
    /// </summary>
    public static Tensor TernaryWeights(Tensor w)
    {
        if (w.Rank != 2) throw new ArgumentException($"ternary weights must be [out, in]; got {Shapes.Format(w.Shape)}.", nameof(w));
        int rows = w.Size(0), cols = w.Size(1);
        var src = w.Contiguous().AsReadOnlySpan();
        var y = new float[src.Length];
        for (int j = 0; j < rows; j++)
        {
            var row = src.Slice(j * cols, cols);
            double sum = 0;
            foreach (float v in row) sum += Math.Abs(v);
            double delta = 0.7 * sum / cols, kept = 0;
            int n = 0;
            foreach (float v in row)
                if (Math.Abs(v) > delta) { kept += Math.Abs(v); n++; }
            float alpha = n > 0 ? (float)(kept / n) : 0f;
            for (int k = 0; k < cols; k++)
                y[j * cols + k] = Math.Abs(row[k]) > delta ? (row[k] > 0 ? alpha : -alpha) : 0f;
        }
        return Autograd.Record(Tensor.FromArray(y, rows, cols), "ternary_weights", [w], g => [g], saved: []);
    }

    /// <summary>g where <paramref name="pass"/>, else 0, times <paramref name="scale"/>.</summary>
    internal static Tensor Mask(Tensor g, bool[] pass, float scale)
    {
        var gs = g.Contiguous().AsReadOnlySpan();
        var d = new float[gs.Length];
        for (int i = 0; i < d.Length; i++) d[i] = pass[i] ? gs[i] * scale : 0f;
        return Tensor.FromArray(d, g.Shape.ToArray());
    }
}
