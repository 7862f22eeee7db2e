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

    /// <summary>
    /// Equalizes every (Linear|Conv2d) → activation → [max pools] → (Linear|Conv2d) chain of <paramref name="net"/> in
    /// place; returns the number of pairs. Max pooling commutes with a positive per-channel scale (max(x/s) = max(x)/s),
    /// so it may stand between the two.
    /// </summary>
    /// <exception cref="InvalidInputException">An activation between two such layers is not positively homogeneous (equalization would change the function).</exception>
    public static int Apply(FloatNetwork net)
    {
        var pairs = new List<(FloatLinear A, FloatLinear B)>();
        var s = net.Stages;
        for (int i = 0; i + 2 < s.Count; i++)
        {
            if (Matrix(s[i]) is not { } a || s[i + 1] is not FloatActivation f) continue;
            int j = i + 2;
            while (j < s.Count && s[j] is FloatMaxPool) j++;
            if (j >= s.Count || Matrix(s[j]) is not { } b) continue;
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

    // A layer's weights as the GEMM matrix [out, in]: a Linear's own, a convolution's [out, in·kh·kw].
    private static FloatLinear? Matrix(object stage) => stage switch
    {
        FloatLinear l => l,
        FloatConv c => c.Matrix,
        _ => null,
    };

    // Returns max |log s_i|, how far this pass moved. Channel i of a's output feeds the g = b.In / a.Out consecutive
    // columns [i·g, (i+1)·g) of b: one for Linear → Linear, the kh·kw taps of a convolution, the H·W positions of a
    // flattened feature map (C-order flattening puts a channel's positions together).
    internal static double Equalize(FloatLinear a, FloatLinear b)
    {
        if (b.In % a.Out != 0) throw new InvalidOperationException($"a layer with {a.Out} outputs cannot feed one with {b.In} inputs.");
        int g = b.In / a.Out;
        double moved = 0;
        for (int i = 0; i < a.Out; i++)
        {
            double r1 = 0, r2 = 0;
            for (int k = 0; k < a.In; k++) r1 = Math.Max(r1, Math.Abs(a.Weight[i * a.In + k]));
            for (int j = 0; j < b.Out; j++)
                for (int t = 0; t < g; t++) r2 = Math.Max(r2, Math.Abs(b.Weight[j * b.In + i * g + t]));
            if (r1 == 0 || r2 == 0) continue;
            double si = Math.Sqrt(r1 / r2);
            for (int k = 0; k < a.In; k++) a.Weight[i * a.In + k] = (float)(a.Weight[i * a.In + k] / si);
            a.Bias[i] = (float)(a.Bias[i] / si);
            for (int j = 0; j < b.Out; j++)
                for (int t = 0; t < g; t++) b.Weight[j * b.In + i * g + t] = (float)(b.Weight[j * b.In + i * g + t] * si);
            moved = Math.Max(moved, Math.Abs(Math.Log(si)));
        }
        return moved;
    }
}
