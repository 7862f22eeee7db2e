namespace Nonlinear.Export;

// Shrinkage (thresholding) and hard piecewise-polynomial entries. ONNX Shrink is exactly our "shrink"
// (x < −lambd ? x + bias : x > lambd ? x − bias : 0), so softshrink and hardshrink are two of its settings.
internal static partial class ActivationExports
{
    private static void AddShrinkAndHard(Dictionary<string, ActivationExport> d)
    {
        d["shrink"] = (x, p) => Shrink(x, p[0], p[1]);
        d["softshrink"] = (x, p) => Shrink(x, p[0], p[0]);
        d["hardshrink"] = (x, p) => Shrink(x, 0, p[0]);
        d["tanhshrink"] = (x, _) => x - x.Tanh();
        d["soft_threshold"] = (x, p) => x.Sign() * (x.Abs() - p[0]).Relu();
        d["soft_threshold_clipped"] = (x, p) => x.Sign() * Clip(x.Abs() - p[0], 0, p[1]);
        // (x − τ)·((x + τ)/x), the kernel's cancellation-free form of x − τ²/x.
        d["garrote"] = (x, p) => If(x.Abs().Gt(p[0]), (x - p[0]) * ((x + p[0]) / x), x.Builder.Scalar(0));
        d["elastic_net_threshold"] = (x, p) => x.Sign() * (x.Abs() - p[0]).Relu() / (1 + p[1]);
        d["firm_threshold"] = (x, p) =>
        {
            var a = x.Abs();
            var middle = x.Sign() * (a - p[0]) * (p[1] / (p[1] - p[0]));
            return If(a.Le(p[0]), x.Builder.Scalar(0), If(a.Ge(p[1]), x, middle));
        };
        d["scad_threshold"] = (x, p) =>
        {
            var a = x.Abs();
            var soft = x.Sign() * (a - p[0]).Relu();
            var middle = (x * (p[1] - 1) - x.Sign() * (p[1] * p[0])) / (p[1] - 2);
            return If(a.Le(2 * p[0]), soft, If(a.Le(p[1] * p[0]), middle, x));
        };
        d["mcp_threshold"] = (x, p) =>
        {
            var a = x.Abs();
            var middle = x.Sign() * (a - p[0]) * (p[1] / (p[1] - 1));
            return If(a.Le(p[0]), x.Builder.Scalar(0), If(a.Le(p[1] * p[0]), middle, x));
        };

        d["hard_elish"] = (x, _) =>
        {
            var h = Clip((x + 1.0) * 0.5, 0, 1);
            return If(x.Lt(0), Expm1(x.Min(0)), x) * h;
        };
        d["hard_mish"] = (x, _) => x * Clip(x + 2.0, 0, 2) * 0.5;
        d["smooth_step"] = (x, p) =>
        {
            var t = Clip(x / p[0] + 0.5, 0, 1);
            return t.Square() * (3.0 - t * 2.0);
        };
        // Above t = 1/2 as 1 − g(1 − t) (the curve is odd about 1/2), as the kernel, so neither half cancels.
        d["smoother_step"] = (x, _) =>
        {
            var t = Clip(x + 0.5, 0, 1);
            return If(t.Gt(0.5), 1.0 - Quintic(1.0 - t), Quintic(t));
        };
        d["tent"] = (x, _) => (1.0 - x.Abs()).Relu();
        d["sqnl"] = (x, _) => If(x.Gt(2), x.Builder.Scalar(1), If(x.Lt(-2), x.Builder.Scalar(-1), x - x * x.Abs() * 0.25));
        d["sqlu"] = (x, _) => If(x.Gt(0), x, If(x.Lt(-2), x.Builder.Scalar(-1), x + x.Square() * 0.25));
        d["cubic_soft_clip"] = (x, _) => If(x.Abs().Ge(1), x.Sign() * (2.0 / 3), x - x.Cube() * (1.0 / 3));
    }

    private static OnnxValue Shrink(OnnxValue x, double bias, double lambd) =>
        x.Builder.Node("Shrink", x, ("bias", F(bias)), ("lambd", F(lambd)));

    private static OnnxValue Quintic(OnnxValue t) => t.Cube() * ((t * 6.0 - 15.0) * t + 10.0);
}
