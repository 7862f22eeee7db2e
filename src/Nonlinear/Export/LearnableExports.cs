using Nonlinear.Kernels.Learnable;
using Nonlinear.Layers.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Export;

/// <summary>
/// The learnable units with their trained parameters as initializers, shaped [C, 1, …] so they broadcast over the
/// channel dimension 1 of [N, C, *] (PyTorch's convention, and the modules'). The kernels' clamps (λ, σ, β ≥ 1e-4) are
/// applied to the stored values, so the graph computes what the module computes.
/// </summary>
internal static class LearnableExports
{
    public static OnnxTensor PRelu(PRelu m, OnnxTensor x) =>
        x with { Value = x.Value.Builder.Node("PRelu", [x.Value, Slot(m, x, m.Weight, 0, 1)]) };

    public static OnnxTensor Apa(Apa m, OnnxTensor x)
    {
        var v = x.Value;
        var kappa = Slot(m, x, m.Kappa, 0, 1);
        var lambda = Slot(m, x, m.Lambda, 0, 1, min: ApaKernel.MinLambda);
        // A = exp(−softplus(ln λ − κx)/λ) = (1 + λe^(−κx))^(−1/λ), the kernel's overflow-free form.
        var a = (-(lambda.Log() - kappa * v).Softplus() / lambda).Exp();
        return x with { Value = m.Gated ? v * a : a };
    }

    public static OnnxTensor Sau(Sau m, OnnxTensor x)
    {
        var v = x.Value;
        var alpha = Slot(m, x, m.Alpha, 0, 1);
        var sigma = Slot(m, x, m.Sigma, 0, 1, min: SauKernel.MinSigma);
        var t = v / sigma;
        // h = x·Φ(x/σ) + σ·φ(x/σ), the Gaussian-smoothed relu; f = αx + (1 − α)h.
        var h = v * ActivationExports.Phi(t) + sigma * (t.Square() * -0.5).Exp() * (1 / Math.Sqrt(2 * Math.PI));
        return x with { Value = alpha * v + (1.0 - alpha) * h };
    }

    public static OnnxTensor Snake(Snake m, OnnxTensor x)
    {
        var v = x.Value;
        var a = Slot(m, x, m.Alpha, 0, 1);
        var s = (a * v).Sin();
        // a = 0 is the limit x (sin²(ax)/a → 0), as the kernel selects.
        return x with { Value = OnnxValue.Where(a.Eq(0), v, v + s * s / a) };
    }

    public static OnnxTensor SnakeBeta(SnakeBeta m, OnnxTensor x)
    {
        var v = x.Value;
        var a = Slot(m, x, m.Alpha, 0, 1);
        var beta = Slot(m, x, m.Beta, 0, 1, min: SnakeBetaKernel.MinBeta);
        var s = (a * v).Sin();
        return x with { Value = v + s * s / beta };
    }

    public static OnnxTensor Rational(Rational m, OnnxTensor x)
    {
        var v = x.Value;
        bool safe = m.Form == RationalForm.Safe;
        // P by Horner from a_m down; Q = 1 + |Σ b_k u^k| with u = |x| and |b_k| (safe) or u = x (abssum), as the kernel.
        var num = Slot(m, x, m.Numerator, m.M, m.M + 1);
        for (int k = m.M - 1; k >= 0; k--) num = num * v + Slot(m, x, m.Numerator, k, m.M + 1);
        if (m.N == 0) return x with { Value = num };
        var u = safe ? v.Abs() : v;
        OnnxValue B(int k) => safe ? Slot(m, x, m.Denominator!, k - 1, m.N).Abs() : Slot(m, x, m.Denominator!, k - 1, m.N);
        var r = B(m.N);
        for (int k = m.N - 1; k >= 1; k--) r = r * u + B(k);
        var den = (r * u).Abs() + 1.0;
        return x with { Value = num / den };
    }

    /// <summary>Column <paramref name="index"/> of a [channels, count] (or [channels]) parameter as a broadcastable initializer.</summary>
    private static OnnxValue Slot(LearnableActivation m, OnnxTensor x, Tensor p, int index, int count, float min = float.NegativeInfinity)
    {
        var src = p.AsReadOnlySpan();
        var col = new float[m.Channels];
        for (int c = 0; c < col.Length; c++) col[c] = Math.Max(src[c * count + index], min);
        long[] dims = m.Channels == 1 ? [1] : [m.Channels, .. Enumerable.Repeat(1L, Math.Max(0, x.Rank - 2))];
        return x.Value.Builder.Initializer("theta", col, dims);
    }
}
