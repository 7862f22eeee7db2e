namespace Nonlinear.Export;

// Self-gated entries x·g(x). Native Gelu from opset 20, Mish from 18, HardSwish from 14; before that their formulas.
internal static partial class ActivationExports
{
    private static void AddGated(Dictionary<string, ActivationExport> d)
    {
        d["gelu"] = (x, _) => Gelu(x);
        // ½(1 + tanh u) = σ(2u), as the kernel: no cancellation in the left tail. Not ONNX Gelu(approximate="tanh") even at
        // opset 20: ORT's gives −6.1e-7 at x = −5.125 where the function is −9.7e-8 (measured).
        d["gelu_tanh"] = (x, _) => x * Sigmoid((x + x.Cube() * 0.044715) * (2 * Math.Sqrt(2 / Math.PI)));
        d["silu"] = (x, p) => x * Sigmoid(x * p[0]);
        d["mish"] = (x, _) => x.Builder.Opset >= 18 ? x.Builder.Node("Mish", [x]) : x * Softplus(x).Tanh();
        d["hard_swish"] = (x, _) => x.Builder.Node("HardSwish", [x]);
        d["golu"] = (x, _) => x * (-(-x).Exp()).Exp();
        d["quick_gelu"] = (x, _) => x * Sigmoid(x * 1.702);
        d["e_swish"] = (x, p) => x * p[0] * Sigmoid(x);
        d["flatten_t_swish"] = (x, p) => OnnxValue.Where(x.Ge(0), x * Sigmoid(x) + p[0], p[0]);
        d["gcu"] = (x, _) => x * x.Cos();
        d["elish"] = (x, _) => If(x.Ge(0), x, Expm1(x.Min(0))) * Sigmoid(x);
        d["lisht"] = (x, _) => x * x.Tanh();
        d["tanh_exp"] = (x, _) => x * x.Exp().Tanh();
        d["serf"] = (x, _) => x * Softplus(x).Erf();
        d["logish"] = (x, _) => x * Log1p(Sigmoid(x));
        d["smish"] = (x, _) => x * Log1p(Sigmoid(x)).Tanh();
        d["phish"] = (x, _) => x * Gelu(x).Tanh();
        // x·((1 + α) + (1 − α)·erf(μ(1 − α)x))/2: x factored out, so the two large terms do not cancel at large |x|.
        d["smu"] = (x, p) => x * ((x * (p[1] * (1 - p[0]))).Erf() * (1 - p[0]) + (1 + p[0])) * 0.5;
        d["mila"] = (x, p) => x * Softplus(x + p[0]).Tanh();
        d["sinlu"] = (x, p) => (x + (x * p[1]).Sin() * p[0]) * Sigmoid(x);
        // The kernel runs silu with beta·(p1 − p2) rounded to float.
        d["acon_c"] = (x, p) => x * (p[0] - p[1]) * Sigmoid(x * F(p[2] * (p[0] - p[1]))) + x * p[1];
        d["atlu"] = (x, _) => x * Cauchit(x);
        d["xatlu"] = (x, p) => XGate(x, Cauchit(x), p[0]);
        d["xgelu"] = (x, p) => XGate(x, Phi(x), p[0]);
        d["xsilu"] = (x, p) => XGate(x, Sigmoid(x), p[0]);
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
