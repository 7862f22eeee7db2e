using Nonlinear.Kan;
using static Nonlinear.Export.OnnxGraphBuilder;

namespace Nonlinear.Export;

/// <summary>
/// A KAN layer as the layer computes it: the features F = [silu(x) | B¹_0(x) … B¹_{C−1}(x) | B²_0(x) …] (each block
/// [N, in], see <see cref="KanLayer"/>), then one MatMul with the folded weights Wᵀ [K, out] (mask, scales, S-KAN mixture
/// and coefficients already multiplied in) and the bias. Each basis is expanded by the same float recursion as its
/// kernel: Cox–de Boor on the layer's own knots and reciprocal spans, the Chebyshev three-term recurrence on tanh x,
/// the Fourier angle-addition recurrence, the Gaussian bumps.
/// </summary>
internal static class KanExport
{
    public static OnnxTensor Layer(KanLayer layer, OnnxTensor x)
    {
        if (x.Rank != 2) throw new NotSupportedException($"ONNX export: KanLayer input must be [N, {layer.InFeatures}]; got rank {x.Rank}.");
        for (int o = 0; o < layer.OutFeatures; o++)
            for (int i = 0; i < layer.InFeatures; i++)
                if (layer.GetSymbolic(o, i) is not null)
                    throw new NotSupportedException($"ONNX export: KanLayer edge ({o}, {i}) is symbolic; export before fixing symbolic edges or clear them.");
        if (layer.Norm is not null) x = ModuleExports.LayerNorm(layer.Norm, x);
        var g = x.Value.Builder;
        var v = x.Value;
        var blocks = new List<OnnxValue>();
        if (layer.ScaleBase is not null) blocks.Add(v * ActivationExports.Sigmoid(v));
        foreach (var space in layer.Spaces)
        {
            space.Prepare();
            blocks.Add(space switch
            {
                BSplineBasis b => BSpline(b, v, layer.InFeatures),
                RbfBasis r => Rbf(r, v, layer.InFeatures),
                FourierBasis f => Fourier(f, v),
                ChebyshevBasis c => Chebyshev(c, v),
                _ => throw new NotSupportedException($"ONNX export: KAN basis '{space.Name}' has no export."),
            });
        }
        var features = blocks.Count == 1 ? blocks[0] : g.Node("Concat", [.. blocks], [IntAttr("axis", 1)]);
        int k = layer.FeatureCount, outF = layer.OutFeatures;
        var w = layer.FoldedWeights(layer.MixWeights());
        var wt = new float[k * outF];
        for (int o = 0; o < outF; o++)
            for (int c = 0; c < k; c++) wt[c * outF + o] = w[o * k + c];
        var y = g.Node("MatMul", [features, g.Initializer("folded_weight_t", wt, k, outF)]);
        if (layer.Bias is not null) y = y + ModuleExports.Weight(g, "bias", layer.Bias);
        return new(y, [outF]);
    }

    // [N, in, C] (basis index last) → [N, C·in] with the index j major, the layer's feature layout.
    private static OnnxValue JMajor(OnnxValue b, int count, int inputs)
    {
        var g = b.Builder;
        var t = g.Node("Transpose", [b], [IntsAttr("perm", 0, 2, 1)]);
        return g.Node("Reshape", [t, g.Int64s("shape", -1, (long)count * inputs)]);
    }

    private static OnnxValue Unsqueeze2(OnnxValue v) => v.Builder.Node("Unsqueeze", [v, v.Builder.Int64s("axes", 2)]);

    private static OnnxValue Slice(OnnxValue v, long start, long end) =>
        v.Builder.Node("Slice", [v, v.Builder.Int64s("starts", start), v.Builder.Int64s("ends", end), v.Builder.Int64s("axes", 2)]);

    private static OnnxValue BSpline(BSplineBasis basis, OnnxValue x, int inputs)
    {
        var g = x.Builder;
        var kernel = basis.KernelForSparse;
        int kOrder = kernel.Order, n0 = kernel.Intervals, nk = n0 + 1;
        float[] knots = kernel.Knots, inv = kernel.InverseSpans; // [nk, inputs] and [k, n0, inputs]
        var t = new float[inputs * nk];
        for (int m = 0; m < nk; m++)
            for (int i = 0; i < inputs; i++) t[i * nk + m] = knots[m * inputs + i];
        // d_m = x − t_m for every knot at once: [N, in, nk]. The order-0 indicator t_m ≤ x < t_{m+1} is d_m ≥ 0 ∧ d_{m+1} < 0.
        var d = Unsqueeze2(x) - g.Initializer("knots", t, inputs, nk);
        var ge = g.Node("GreaterOrEqual", [Slice(d, 0, n0), g.Scalar(0)]);
        var lt = g.Node("Less", [Slice(d, 1, nk), g.Scalar(0)]);
        var b = g.Node("Cast", [g.Node("And", [ge, lt])], [IntAttr("to", (long)Proto.TensorProto.Types.DataType.Float)]);
        for (int p = 1; p <= kOrder; p++)
        {
            int n = n0 - p;
            var l = new float[inputs * n];
            var r = new float[inputs * n];
            for (int m = 0; m < n; m++)
                for (int i = 0; i < inputs; i++)
                {
                    l[i * n + m] = inv[((p - 1) * n0 + m) * inputs + i];
                    r[i * n + m] = inv[((p - 1) * n0 + m + 1) * inputs + i];
                }
            // B_{m,p} = (d_m·l_m)·B_{m,p−1} − (d_{m+p+1}·r_m)·B_{m+1,p−1}, the kernel's float expression.
            var left = Slice(d, 0, n) * g.Initializer("inv_left", l, inputs, n);
            var right = Slice(d, p + 1, p + 1 + n) * g.Initializer("inv_right", r, inputs, n);
            b = left * Slice(b, 0, n) - right * Slice(b, 1, n + 1);
        }
        return JMajor(b, basis.Count, inputs);
    }

    private static OnnxValue Rbf(RbfBasis basis, OnnxValue x, int inputs)
    {
        var g = x.Builder;
        var c = Enumerable.Range(0, basis.Count).Select(j => (float)basis.Centre(j)).ToArray();
        var t = (Unsqueeze2(x) - g.Initializer("centres", c, c.Length)) * (float)(1 / basis.Width);
        return JMajor((-(t * t)).Exp(), basis.Count, inputs);
    }

    private static OnnxValue Fourier(FourierBasis basis, OnnxValue x)
    {
        // cos(gx), sin(gx) by angle addition from sin x, cos x, as the kernel (so both round alike).
        var g = x.Builder;
        OnnxValue s1 = x.Sin(), c1 = x.Cos(), s = s1, c = c1;
        var cos = new List<OnnxValue>();
        var sin = new List<OnnxValue>();
        for (int f = 0; f < basis.Frequencies; f++)
        {
            cos.Add(c);
            sin.Add(s);
            if (f + 1 == basis.Frequencies) break;
            var cn = c * c1 - s * s1;
            s = s * c1 + c * s1;
            c = cn;
        }
        return g.Node("Concat", [.. cos, .. sin], [IntAttr("axis", 1)]);
    }

    private static OnnxValue Chebyshev(ChebyshevBasis basis, OnnxValue x)
    {
        // T_0 = 1, T_1 = t, T_{n+1} = 2t·T_n − T_{n−1} with t = tanh x.
        var g = x.Builder;
        var t = x.Tanh();
        var two = t + t;
        var list = new List<OnnxValue> { t * 0.0 + 1.0, t };
        for (int n = 2; n <= basis.Degree; n++) list.Add(two * list[^1] - list[^2]);
        return g.Node("Concat", [.. list.Take(basis.Degree + 1)], [IntAttr("axis", 1)]);
    }
}
