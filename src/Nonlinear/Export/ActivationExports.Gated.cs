namespace Nonlinear.Export;

// Self-gated entries x·g(x). Native Gelu from opset 20, Mish from 18, HardSwish from 14; before that their formulas.
internal static partial class ActivationExports
{
    private static void AddGated(Dictionary<string, ActivationExport> d)
    {
        d["gelu"] = (x, _) => Gelu(x);
        d["gelu_tanh"] = (x, _) => x.Builder.Opset >= 20
            ? x.Builder.Node("Gelu", [x], [OnnxGraphBuilder.StringAttr("approximate", "tanh")])
            // ½(1 + tanh u) = σ(2u), as the kernel: no cancellation in the left tail.
            : x * ((x + x.Cube() * 0.044715) * (2 * Math.Sqrt(2 / Math.PI))).Sigmoid();
        d["silu"] = (x, p) => x * (x * p[0]).Sigmoid();
        d["mish"] = (x, _) => x.Builder.Opset >= 18 ? x.Builder.Node("Mish", [x]) : x * Softplus(x).Tanh();
        d["hard_swish"] = (x, _) => x.Builder.Node("HardSwish", [x]);
        d["golu"] = (x, _) => x * (-(-x).Exp()).Exp();
        d["quick_gelu"] = (x, _) => x * (x * 1.702).Sigmoid();
        d["e_swish"] = (x, p) => x * p[0] * x.Sigmoid();
        d["flatten_t_swish"] = (x, p) => OnnxValue.Where(x.Ge(0), x * x.Sigmoid() + p[0], p[0]);
        d["gcu"] = (x, _) => x * x.Cos();
        d["elish"] = (x, _) => If(x.Ge(0), x, Expm1(x.Min(0))) * x.Sigmoid();
        d["lisht"] = (x, _) => x * x.Tanh();
        d["tanh_exp"] = (x, _) => x * x.Exp().Tanh();
        d["serf"] = (x, _) => x * Softplus(x).Erf();
        d["logish"] = (x, _) => x * Log1p(x.Sigmoid());
        d["smish"] = (x, _) => x * Log1p(x.Sigmoid()).Tanh();
        d["phish"] = (x, _) => x * Gelu(x).Tanh();
        d["smu"] = (x, p) => (x * (1 + p[0]) + x * (x * (p[1] * (1 - p[0]))).Erf() * (1 - p[0])) * 0.5;
        d["mila"] = (x, p) => x * Softplus(x + p[0]).Tanh();
        d["sinlu"] = (x, p) => (x + (x * p[1]).Sin() * p[0]) * x.Sigmoid();
        // The kernel runs silu with beta·(p1 − p2) rounded to float.
        d["acon_c"] = (x, p) => x * (p[0] - p[1]) * (x * F(p[2] * (p[0] - p[1]))).Sigmoid() + x * p[1];
        d["atlu"] = (x, _) => x * (x.Atan() * (1 / Math.PI) + 0.5);
        d["xatlu"] = (x, p) => XGate(x, x.Atan() * (1 / Math.PI) + 0.5, p[0]);
        d["xgelu"] = (x, p) => XGate(x, Phi(x), p[0]);
        d["xsilu"] = (x, p) => XGate(x, x.Sigmoid(), p[0]);
        d["aglu"] = (x, p) => x * Apa(x, p[0], p[1]);
        d["erfact"] = (x, p) => x * ((x * p[1]).Exp() * p[0]).Erf();
        d["pserf"] = (x, p) => x * (Softplus(x * p[1]) * p[0]).Erf();
        d["loglogish"] = (x, _) => x * -Expm1(-x.Exp());
    }

    /// <summary>x·Φ(x): ONNX Gelu from opset 20, else x·(1 + erf(x/√2))/2.</summary>
    internal static OnnxValue Gelu(OnnxValue x) => x.Builder.Opset >= 20 ? x.Builder.Node("Gelu", [x]) : x * Phi(x);

    /// <summary>x·(g·(1 + 2α) − α), the xATLU/xGELU/xSiLU family.</summary>
    private static OnnxValue XGate(OnnxValue x, OnnxValue g, double alpha) => x * (g * (1 + 2 * alpha) - alpha);
}
