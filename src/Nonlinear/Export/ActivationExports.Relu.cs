namespace Nonlinear.Export;

// The relu family: native Relu, LeakyRelu, ThresholdedRelu, Clip where they are our formula; Where/Max/Min otherwise.
internal static partial class ActivationExports
{
    private static void AddRelu(Dictionary<string, ActivationExport> d)
    {
        d["identity"] = (x, _) => x.Builder.Node("Identity", [x]);
        d["relu"] = (x, _) => x.Relu();
        d["helu"] = (x, _) => x.Relu(); // alpha only changes the backward rule
        // LeakyRelu is x ≥ 0 ? x : alpha·x in ONNX, the same branch choice as ours (so −0 stays −0).
        d["leaky_relu"] = (x, p) => Leaky(x, p[0]);
        d["very_leaky_relu"] = (x, p) => Leaky(x, p[0]);
        d["prelu_fixed"] = (x, p) => Leaky(x, p[0]);
        d["rrelu"] = (x, p) => Leaky(x, (p[0] + p[1]) / 2);
        d["lelelu"] = (x, p) => If(x.Ge(0), x * p[0], x * (0.01 * p[0]));
        d["relu6"] = (x, _) => Clip(x, 0, 6);
        d["bounded_relu"] = (x, p) => Clip(x, 0, p[0]);
        d["clipped_relu"] = (x, p) => Clip(x, 0, p[0]);
        d["shifted_relu"] = (x, p) => (x - p[0]).Relu();
        d["shifted_relu_clipped"] = (x, p) => Clip(x - p[0], 0, p[1]);
        d["relu_squared"] = (x, _) => x.Relu().Square();
        d["star_relu"] = (x, p) => x.Relu().Square() * p[0] + p[1];
        d["threshold"] = (x, p) => OnnxValue.Where(x.Gt(p[0]), x, p[1]);
        d["thresholded_relu"] = (x, p) => x.Builder.Node("ThresholdedRelu", x, ("alpha", F(p[0])));
        d["smelu"] = (x, p) => If(x.Le(-p[0]), x.Builder.Scalar(0), If(x.Ge(p[0]), x, (x + p[0]).Square() / (4 * p[0])));
        d["sparse_sigmoid"] = (x, _) => Clip((x + 1.0) * 0.5, 0, 1);
        d["sparse_plus"] = (x, _) => If(x.Le(-1), x.Builder.Scalar(0), If(x.Ge(1), x, (x + 1.0).Square() * 0.25));
        d["plu"] = (x, p) => ((x + p[1]) * p[0] - p[1]).Max(((x - p[1]) * p[0] + p[1]).Min(x));
        d["crrelu"] = (x, p) => x.Relu() + x * p[0] * (x.Square() * -0.5).Exp();
        d["nlrelu"] = (x, p) => Log1p(x.Relu() * p[0]);
        d["srelu"] = (x, p) => If(x.Ge(p[2]), (x - p[2]) * p[3] + p[2], If(x.Le(p[0]), (x - p[0]) * p[1] + p[0], x));
        d["displaced_relu"] = (x, p) => x.Max(-p[0]);
        d["tlu"] = (x, p) => x.Max(p[0]);
        d["alrelu"] = (x, p) => If(x.Gt(0), x, (x * p[0]).Abs());
        d["bounded_leaky_relu"] = (x, p) => If(x.Le(0), x * p[1], If(x.Ge(p[0]), (x - p[0]) * p[1] + p[0], x));
        d["relu_keras"] = (x, p) => If(x.Ge(p[1]), x.Builder.Scalar(p[1]), If(x.Ge(p[2]), x, (x - p[2]) * p[0]));
        // torch.nn.Softplus(beta, threshold): linear once beta·x > threshold.
        d["softplus"] = (x, p) =>
        {
            var bx = x * p[0];
            return If(bx.Gt(p[1]), x, Softplus(bx) / p[0]);
        };
    }

    private static OnnxValue Leaky(OnnxValue x, double slope) => x.Builder.Node("LeakyRelu", x, ("alpha", F(slope)));

    /// <summary>ONNX Clip (min and max as inputs since opset 11).</summary>
    internal static OnnxValue Clip(OnnxValue x, double lo, double hi) => x.Builder.Node("Clip", [x, x.Builder.Scalar(lo), x.Builder.Scalar(hi)]);
}
