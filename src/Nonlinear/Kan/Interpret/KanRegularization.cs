using Nonlinear.Tensors;

namespace Nonlinear.Kan.Interpret;

/// <summary>Weights of the sparsity penalty (pykan's lamb, lamb_l1, lamb_entropy).</summary>
/// <param name="Lambda">Overall weight λ added to the loss (pykan's lamb; 0 switches the penalty off).</param>
/// <param name="L1">μ₁: weight of the L1 norm Σ|φ|₁ of each layer (pykan's lamb_l1 = 1).</param>
/// <param name="Entropy">μ₂: weight of the entropy S(Φ) of each layer (pykan's lamb_entropy = 2).</param>
public sealed record KanRegularizationOptions(double Lambda = 0, double L1 = 1, double Entropy = 2);

/// <summary>
/// The KAN paper's sparsity regularisation (Liu et al. 2024, §2.5.1), differentiable in the edge parameters:
/// for layer Φ with edges φ_{o,i}, |φ_{o,i}|₁ = (1/N)·Σ_n |φ_{o,i}(x_{n,i})| over the batch, |Φ|₁ = Σ_{o,i} |φ_{o,i}|₁ and
/// S(Φ) = −Σ_{o,i} p_{o,i}·log₂(p_{o,i} + 1e-4) with p = |φ|₁/|Φ|₁ (log₂ and +1e-4 as pykan); the penalty is
/// λ·Σ_l (μ₁·|Φ_l|₁ + μ₂·S(Φ_l)). φ includes the SiLU base branch, the mask and the S-KAN mixture; symbolic edges are
/// fixed and not penalised. Difference from pykan: the layer inputs are treated as constants (their gradient flows
/// through the prediction loss only), which keeps the penalty one small batched product per layer.
/// </summary>
public static class KanRegularization
{
    /// <summary>
    /// Differentiable |φ_{o,i}|₁ of one layer as a tensor [in, out] (note the order: input-major), from the layer's
    /// input x [N, in] as seen in the forward pass.
    /// </summary>
    public static Tensor EdgeScales(KanLayer layer, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Size(1) != layer.InFeatures)
            throw new ArgumentException($"x must be [N, {layer.InFeatures}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        if (layer.Norm is not null) x = layer.Norm.Forward(x);
        int n = x.Size(0), inF = layer.InFeatures, outF = layer.OutFeatures;
        int blocks = layer.FeatureCount / inF;
        var xs = x.Detach().Contiguous().AsSpanUntracked();
        // Features [N, blocks, in] → [in, N, blocks] (constants: no gradient to x).
        var f = Tensor.FromArray(layer.Features(xs, n), n, blocks, inF);
        var fp = Ops.Transpose(Ops.Transpose(f, 0, 2), 1, 2).Contiguous();

        // W [in, blocks, out] built from the parameters with recorded ops, so the penalty's gradient reaches them.
        var maskT = Ops.Transpose(layer.Mask, 0, 1); // [in, out], constant
        var parts = new List<Tensor>();
        if (layer.ScaleBase is not null) parts.Add(Ops.Unsqueeze(Ops.Mul(Ops.Transpose(layer.ScaleBase, 0, 1), maskT), 1));
        var mix = layer.MixLogits is null ? null : Ops.Softmax(layer.MixLogits); // [out, spaces]
        for (int s = 0; s < layer.Spaces.Count; s++)
        {
            var scale = Ops.Mul(layer.ScaleSp, layer.Mask); // [out, in]
            if (mix is not null) scale = Ops.Mul(scale, Ops.Slice(mix, 1, s, 1));
            var factor = Ops.Unsqueeze(Ops.Transpose(scale, 0, 1), 1); // [in, 1, out]
            var coef = Ops.Transpose(Ops.Transpose(layer.Coefficients[s], 0, 1), 1, 2); // [in, nb, out]
            parts.Add(Ops.Mul(coef, factor));
        }
        var w = parts.Count == 1 ? parts[0] : Ops.Concat(parts, 1); // [in, blocks, out]
        var phi = Ops.MatMul(fp, w.Contiguous()); // [in, N, out]
        return Ops.Mean(Ops.Abs(phi), 1);
    }

    /// <summary>
    /// λ·Σ_l (μ₁·|Φ_l|₁ + μ₂·S(Φ_l)) as a scalar tensor; <paramref name="inputs"/>[l] is layer l's input from the
    /// forward pass (see <see cref="KanStack.Forward"/>).
    /// </summary>
    public static Tensor Penalty(IReadOnlyList<KanLayer> layers, IReadOnlyList<Tensor> inputs, KanRegularizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        KanStack.Check(layers);
        if (inputs is null || inputs.Count != layers.Count)
            throw new ArgumentException($"inputs must hold one tensor per layer ({layers.Count}); got {inputs?.Count ?? 0}.", nameof(inputs));
        Tensor? total = null;
        for (int l = 0; l < layers.Count; l++)
        {
            var a = EdgeScales(layers[l], inputs[l]);
            var l1 = Ops.Sum(a);
            // +1e-12: a fully pruned layer has |Φ|₁ = 0 and must give p = 0, not 0/0.
            var p = Ops.Div(a, Ops.AddScalar(l1, 1e-12f));
            var entropy = Ops.MulScalar(Ops.Sum(Ops.Mul(p, Ops.Log(Ops.AddScalar(p, 1e-4f)))), (float)(-1 / Math.Log(2)));
            var term = Ops.Add(Ops.MulScalar(l1, (float)options.L1), Ops.MulScalar(entropy, (float)options.Entropy));
            total = total is null ? term : Ops.Add(total, term);
        }
        return Ops.MulScalar(total!, (float)options.Lambda);
    }
}
