namespace Nonlinear.Quantization;

/// <summary>
/// Cross-layer equalization (Nagel, van Baalen, Blankevoort and Welling, "Data-Free Quantization Through Weight
/// Equalization and Bias Correction", ICCV 2019, §4.1). For Linear₁ → f → Linear₂ with f positively homogeneous
/// (f(x/s) = f(x)/s for s &gt; 0), dividing row i of W₁ and b₁ by s_i and multiplying column i of W₂ by s_i leaves the
/// network's function unchanged; s_i = √(r₁ᵢ/r₂ᵢ), with r₁ᵢ = max|W₁[i, :]| and r₂ᵢ = max|W₂[:, i]|, gives both the same
/// range √(r₁ᵢ·r₂ᵢ), so per-channel weight quantization loses less on the channels that had small ranges.
/// Repeated over all pairs until the scales settle (pairs share layers in a deeper network).
/// </summary>
internal static class CrossLayerEqualization
{
    private const int MaxSweeps = 20;

    /// <summary>Equalizes every Linear → activation → Linear triple of <paramref name="net"/> in place; returns the number of pairs.</summary>
    /// <exception cref="InvalidInputException">An activation between two Linear layers is not positively homogeneous (equalization would change the function).</exception>
    public static int Apply(FloatNetwork net)
    {
        var pairs = new List<(FloatLinear A, FloatLinear B)>();
        var s = net.Stages;
        for (int i = 0; i + 2 < s.Count; i++)
            if (s[i] is FloatLinear a && s[i + 1] is FloatActivation f && s[i + 2] is FloatLinear b)
            {
                if (!f.PositivelyHomogeneous)
                    throw new InvalidInputException($"cross-layer equalization needs positively homogeneous activations (f(a·x) = a·f(x) for a > 0: relu, leaky_relu, prelu, identity, …); '{f.Name}' is not.");
                pairs.Add((a, b));
            }
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double largest = 0;
            foreach (var (a, b) in pairs) largest = Math.Max(largest, Equalize(a, b));
            if (largest < 1e-4) break;
        }
        return pairs.Count;
    }

    // Returns max |log s_i|, how far this pass moved.
    internal static double Equalize(FloatLinear a, FloatLinear b)
    {
        double moved = 0;
        for (int i = 0; i < a.Out; i++)
        {
            double r1 = 0, r2 = 0;
            for (int k = 0; k < a.In; k++) r1 = Math.Max(r1, Math.Abs(a.Weight[i * a.In + k]));
            for (int j = 0; j < b.Out; j++) r2 = Math.Max(r2, Math.Abs(b.Weight[j * b.In + i]));
            if (r1 == 0 || r2 == 0) continue;
            double si = Math.Sqrt(r1 / r2);
            for (int k = 0; k < a.In; k++) a.Weight[i * a.In + k] = (float)(a.Weight[i * a.In + k] / si);
            a.Bias[i] = (float)(a.Bias[i] / si);
            for (int j = 0; j < b.Out; j++) b.Weight[j * b.In + i] = (float)(b.Weight[j * b.In + i] * si);
            moved = Math.Max(moved, Math.Abs(Math.Log(si)));
        }
        return moved;
    }
}
