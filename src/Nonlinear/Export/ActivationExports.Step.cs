namespace Nonlinear.Export;

// Steps and quantisers: exact in ONNX (Where, Round half to even like MathF.Round), values only (the straight-through
// backward of the *_ste entries is a training-time rule with no inference counterpart).
internal static partial class ActivationExports
{
    private static void AddStep(Dictionary<string, ActivationExport> d)
    {
        d["binary_step"] = (x, _) => OnnxValue.Where(x.Ge(0), 1.0, 0.0);
        d["step_ste"] = (x, _) => OnnxValue.Where(x.Ge(0), 1.0, 0.0);
        d["symmetric_step"] = (x, _) => OnnxValue.Where(x.Ge(0), 1.0, -1.0);
        d["sign_ste"] = (x, _) => OnnxValue.Where(x.Ge(0), 1.0, -1.0);
        d["heaviside"] = (x, p) => OnnxValue.Where(x.Gt(0), 1.0, OnnxValue.Where(x.Lt(0), 0.0, p[0]));
        // sign(±0) = ±0: the input zero is returned, which ONNX Sign (0 for ±0) would not keep.
        d["sign"] = (x, _) => OnnxValue.Where(x.Gt(0), 1.0, OnnxValue.Where(x.Lt(0), x.Builder.Scalar(-1), x));
        d["ternary_ste"] = (x, p) => OnnxValue.Where(x.Gt(p[0]), 1.0, OnnxValue.Where(x.Lt(-p[0]), -1.0, 0.0));
        d["round_ste"] = (x, _) => x.Round();
        d["dorefa_quantize"] = (x, p) => { double n = Math.Pow(2, p[0]) - 1; return (Clip(x, 0, 1) * n).Round() / n; };
        d["symmetric_quantize"] = (x, p) => { double n = Math.Pow(2, p[0] - 1) - 1; return (Clip(x, -1, 1) * n).Round() / n; };
        d["pact"] = (x, p) => { double n = Math.Pow(2, p[1]) - 1; return (Clip(x, 0, p[0]) * (n / p[0])).Round() * (p[0] / n); };
        d["lsq_quantize"] = (x, p) => { double q = Math.Pow(2, p[1]) - 1; return Clip(x / p[0], 0, q).Round() * p[0]; };
    }
}
