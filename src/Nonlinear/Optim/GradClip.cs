using Nonlinear.Tensors;

namespace Nonlinear.Optim;

/// <summary>Gradient clipping (torch.nn.utils.clip_grad_norm_).</summary>
public static class GradClip
{
    /// <summary>
    /// Total norm N = ‖(‖g₁‖_p, …, ‖gₖ‖_p)‖_p over the gradients of <paramref name="parameters"/> (those with a gradient);
    /// with c = maxNorm/(N + 10⁻⁶), every gradient is scaled by c when c &lt; 1. Returns N (float, as torch).
    /// p = ∞ takes the largest |g|. Norms accumulate in double, then round once.
    /// </summary>
    /// <exception cref="ArgumentException">maxNorm is negative or NaN, or normType is not ≥ 1 or +∞.</exception>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0)) throw new ArgumentException($"maxNorm must be ≥ 0; got {maxNorm}.", nameof(maxNorm));
        if (!(normType >= 1)) throw new ArgumentException($"normType must be ≥ 1 or +∞; got {normType}.", nameof(normType));
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0f;
        double acc = 0;
        foreach (var g in grads)
        {
            var s = g.Contiguous().AsReadOnlySpan();
            if (double.IsPositiveInfinity(normType))
                foreach (float v in s) acc = Math.Max(acc, Math.Abs((double)v));
            else if (normType == 2)
                foreach (float v in s) acc += (double)v * v;
            else
                foreach (float v in s) acc += Math.Pow(Math.Abs((double)v), normType);
        }
        float total = (float)(double.IsPositiveInfinity(normType) ? acc : normType == 2 ? Math.Sqrt(acc) : Math.Pow(acc, 1 / normType));
        // float arithmetic as torch: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1.
        float coef = (float)maxNorm / (total + 1e-6f);
        if (coef < 1f)
            foreach (var g in grads)
            {
                var s = g.IsContiguous ? g.AsSpan() : throw new InvalidOperationException("gradients must be contiguous to clip in place.");
                for (int i = 0; i < s.Length; i++) s[i] *= coef;
            }
        return total;
    }
}
